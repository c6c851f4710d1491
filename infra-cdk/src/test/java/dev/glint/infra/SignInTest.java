package dev.glint.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cognito: the authorization code flow only (PKCE in the public clients), each stage's own callback
 * and sign-out URLs and never a placeholder in beta or prod, no admin password flow for the web,
 * a separate operators' client, threat protection enforced in prod and audited in beta, SES in prod.
 */
class SignInTest {

    private static final Map<String, List<String>> URLS = Map.of(
            "dev", List.of("http://localhost:8080/", "http://localhost:5173/"),
            "beta", List.of(SynthesizedStages.BETA_WEB),
            "prod", List.of(SynthesizedStages.PROD_WEB));

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theWebClientSignsInWithTheCodeFlowOnlyAndReturnsToTheStagesUrls(String stage) {
        Template template = template(stage);
        template.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
                "AllowedOAuthFlows", List.of("code"),
                "AllowedOAuthFlowsUserPoolClient", true,
                "AllowedOAuthScopes", List.of("openid", "email", "profile"),
                "CallbackURLs", URLS.get(stage),
                "LogoutURLs", URLS.get(stage),
                "ExplicitAuthFlows", List.of("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
                "GenerateSecret", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void noClientAllowsTheImplicitFlowTheAdminScopeOrAPlaceholderUrl(String stage) {
        template(stage).findResources("AWS::Cognito::UserPoolClient").forEach((id, client) -> {
            Map<?, ?> properties = (Map<?, ?>) client.get("Properties");
            String text = properties.toString();
            assertFalse(text.contains("implicit"), id + " allows the implicit flow");
            assertFalse(text.contains("aws.cognito.signin.user.admin"), id + " grants the admin scope");
            assertFalse(text.contains("example.com"), id + " returns to a placeholder");
            // Public clients: no secret, so a code is only worth something with its PKCE verifier.
            assertTrue(Boolean.FALSE.equals(properties.get("GenerateSecret")), id + " has a secret");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void operatorsGetCommandLineTokensFromAClientOfTheirOwnWithoutOAuth(String stage) {
        Template template = template(stage);
        var admin = template.findResources("AWS::Cognito::UserPoolClient", Map.of("Properties", Match.objectLike(Map.of(
                "ExplicitAuthFlows", Match.arrayWith(List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH")))))).keySet();
        assertTrue(admin.equals(java.util.Set.of(HttpApiTest.client(template, "OperatorClient"))), "admin password flow on " + admin);
        template.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
                "AllowedOAuthFlowsUserPoolClient", false,
                "AllowedOAuthFlows", Match.absent(),
                "CallbackURLs", Match.absent()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theHostedSignInHasADomainOfTheStageAndAccount(String stage) {
        template(stage).hasResourceProperties("AWS::Cognito::UserPoolDomain", Map.of(
                "Domain", Map.of("Fn::Join", List.of("-", List.of("glint-" + stage, Map.of("Ref", "AWS::AccountId"))))));
    }

    @Test
    void threatProtectionIsEnforcedInProdAuditedInBetaAndOffInDev() {
        template("prod").hasResourceProperties("AWS::Cognito::UserPool", Map.of(
                "UserPoolTier", "PLUS", "UserPoolAddOns", Map.of("AdvancedSecurityMode", "ENFORCED")));
        template("beta").hasResourceProperties("AWS::Cognito::UserPool", Map.of(
                "UserPoolTier", "PLUS", "UserPoolAddOns", Map.of("AdvancedSecurityMode", "AUDIT")));
        template("dev").hasResourceProperties("AWS::Cognito::UserPool", Map.of(
                "UserPoolTier", Match.absent(), "UserPoolAddOns", Match.absent()));
    }

    @Test
    void prodMailsThroughSesFromTheContextsAddress() {
        template("prod").hasResourceProperties("AWS::Cognito::UserPool", Map.of("EmailConfiguration", Match.objectLike(Map.of(
                "EmailSendingAccount", "DEVELOPER",
                "From", "Glint <" + SynthesizedStages.SES_FROM + ">",
                "SourceArn", Match.anyValue()))));
        template("dev").hasResourceProperties("AWS::Cognito::UserPool", Map.of("EmailConfiguration", Match.absent()));
    }

    @Test
    void betaAndProdRefuseToSynthesizeWithoutTheirSignInUrlsOrWithPlaceholders() {
        var beta = assertThrows(IllegalArgumentException.class, () -> build(SynthesizedStages.settings("beta")
                .withSignIn(new StageSettings.SignIn(List.of(), List.of(), Optional.empty(), Optional.empty()))));
        assertTrue(beta.getMessage().contains("-c callbackUrls=") && beta.getMessage().contains("-c logoutUrls="), beta.getMessage());
        var placeholder = assertThrows(IllegalArgumentException.class, () -> build(SynthesizedStages.settings("beta")
                .withSignIn(new StageSettings.SignIn(List.of("https://example.com"), List.of("http://localhost:8080/"),
                        Optional.empty(), Optional.empty()))));
        assertTrue(placeholder.getMessage().contains("https://example.com") && placeholder.getMessage().contains("localhost"),
                placeholder.getMessage());
        var prod = assertThrows(IllegalArgumentException.class, () -> build(SynthesizedStages.settings("prod")
                .withSignIn(new StageSettings.SignIn(List.of(SynthesizedStages.PROD_WEB), List.of(SynthesizedStages.PROD_WEB),
                        Optional.empty(), Optional.empty()))));
        assertTrue(prod.getMessage().contains("-c sesFromEmail="), prod.getMessage());
    }

    @Test
    void theContextNamesTheSignInUrlsAndTheSesSender() {
        StageSettings settings = GlintApp.settings(new App(AppProps.builder().context(Map.of("stage", "prod",
                "callbackUrls", "https://glint.photos/, https://www.glint.photos/", "logoutUrls", "https://glint.photos/",
                "sesFromEmail", "no-reply@glint.photos", "sesRegion", "eu-west-1",
                "webOrigins", "https://glint.photos,https://www.glint.photos")).build()).getNode());
        StageSettings.SignIn signIn = settings.checkedSignIn();
        assertTrue(signIn.callbackUrls().equals(List.of("https://glint.photos/", "https://www.glint.photos/")), signIn.toString());
        assertTrue(signIn.sesFromEmail().equals(Optional.of("no-reply@glint.photos")) && signIn.sesRegion().equals(Optional.of("eu-west-1")),
                signIn.toString());
    }

    private static void build(StageSettings settings) {
        App app = new App(AppProps.builder().context(SynthesizedStages.cdkJsonContext()).build());
        GlintApp.build(app, settings, SynthesizedStages.code());
    }
}
