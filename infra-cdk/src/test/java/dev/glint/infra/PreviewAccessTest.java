package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Preview is for the product team only: the preview API requires the {@code glint/preview} scope,
 * which only the product team's app client may ask for; and the api versions a rollback leaves
 * behind are kept, so a failed version can still be looked at.
 */
class PreviewAccessTest {

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    /** The scope as the template writes it: the resource server's identifier (its Ref) and the scope name. */
    static Map<String, Object> previewScope(Template template) {
        String server = Templates.logicalId(template, "AWS::Cognito::UserPoolResourceServer", Map.of(
                "Identifier", DataResources.RESOURCE_SERVER_ID,
                "Scopes", List.of(Match.objectLike(Map.of("ScopeName", DataResources.PREVIEW_SCOPE_NAME)))));
        return Map.of("Fn::Join", List.of("", List.of(Map.of("Ref", server), "/" + DataResources.PREVIEW_SCOPE_NAME)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void onlyTheProductClientMayAskForThePreviewScope(String stage) {
        Template template = template(stage);
        Map<String, Object> scope = previewScope(template);
        var withScope = template.findResources("AWS::Cognito::UserPoolClient", Map.of("Properties", Match.objectLike(Map.of(
                "AllowedOAuthScopes", Match.arrayWith(List.of(scope)))))).keySet();
        assertEquals(List.of(HttpApiTest.client(template, "ProductClient")), List.copyOf(withScope));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void thePreviewApiAcceptsOnlyProductClientAccessTokensWithTheScope(String stage) {
        Template template = template(stage);
        String preview = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*preview.*")));
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "ApiId", Map.of("Ref", preview),
                "JwtConfiguration", Match.objectLike(Map.of(
                        "Audience", List.of(Map.of("Ref", HttpApiTest.client(template, "ProductClient")))))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "ApiId", Map.of("Ref", preview), "RouteKey", "$default",
                "AuthorizationType", "JWT", "AuthorizationScopes", List.of(previewScope(template))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void apiVersionsAreKeptWhenAStackUpdateRollsBackOrReplacesThem(String stage) {
        Template template = template(stage);
        String version = Templates.versionId(template, GlintResources.API_FUNCTION);
        template.hasResource("AWS::Lambda::Version", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("FunctionName", Map.of("Ref", Templates.functionId(template, GlintResources.API_FUNCTION)))),
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain")));
        assertEquals("Retain", Templates.resource(template, version).get("DeletionPolicy"));
    }
}
