package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beta and prod are reached through CloudFront with AWS WAF: the site (SiteTest) and the media
 * (origin access control, signed URLs only), both behind one CLOUDFRONT-scoped web ACL with AWS's
 * common rules and a per-IP rate rule. Such an ACL exists in us-east-1 only: a stage in another
 * region gets a us-east-1 stack for it; a stage of unknown region keeps it and refuses other regions.
 */
class EdgeTest {

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void aCloudFrontWebAclWithTheCommonRulesAndAPerIpRateRuleGuardsBothDistributions(String stage) {
        SynthesizedStages.Synthesized synthesized = SynthesizedStages.stage(stage);
        // Beta's region is unknown at synth: the ACL is in its stack. Prod's is eu-west-1 in these
        // tests: the ACL is in the us-east-1 stack, and the distributions read its ARN from there.
        Template aclTemplate = synthesized.aclTemplate().orElse(synthesized.template());
        assertEquals(stage.equals("prod"), synthesized.aclTemplate().isPresent());
        String acl = Templates.logicalId(aclTemplate, "AWS::WAFv2::WebACL", Map.of(
                "Scope", "CLOUDFRONT",
                "DefaultAction", Map.of("Allow", Map.of()),
                "Rules", List.of(
                        Match.objectLike(Map.of(
                                "Priority", 0,
                                "OverrideAction", Map.of("None", Map.of()),
                                "Statement", Map.of("ManagedRuleGroupStatement", Map.of(
                                        "VendorName", "AWS", "Name", "AWSManagedRulesCommonRuleSet")))),
                        Match.objectLike(Map.of(
                                "Priority", 1,
                                "Action", Map.of("Block", Map.of()),
                                "Statement", Map.of("RateBasedStatement", Map.of(
                                        "AggregateKeyType", "IP",
                                        "EvaluationWindowSec", 300,
                                        "Limit", StageSettings.forStage(stage).wafRequestsPerIpPer5Minutes())))))));
        Object aclArn = Map.of("Fn::GetAtt", List.of(acl, "Arn"));
        if (synthesized.aclTemplate().isPresent()) {
            String output = synthesized.aclTemplate().get().findOutputs("*", Map.of("Value", aclArn)).keySet().iterator().next();
            aclArn = Map.of("Fn::GetStackOutput", Map.of("StackName", stage + "-" + GlintApp.EDGE_ACL_STACK_ID,
                    "Region", StageSettings.EDGE_REGION, "OutputName", output));
        }
        Template template = synthesized.template();
        template.resourceCountIs("AWS::CloudFront::Distribution", 2);
        template.allResourcesProperties("AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "WebACLId", aclArn,
                "DefaultCacheBehavior", Match.objectLike(Map.of("ViewerProtocolPolicy", "redirect-to-https"))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void mediaIsServedFromTheBucketThroughOriginAccessControlToSignedUrlsOnly(String stage) {
        Template template = template(stage);
        String media = Templates.logicalId(template, "AWS::S3::Bucket", Map.of("VersioningConfiguration", Map.of("Status", "Enabled")));
        String keyGroup = Templates.logicalId(template, "AWS::CloudFront::KeyGroup", Map.of());
        template.hasResourceProperties("AWS::CloudFront::PublicKey", Map.of("PublicKeyConfig", Match.objectLike(Map.of(
                "EncodedKey", SynthesizedStages.mediaKey()))));
        String cachePolicy = Templates.logicalId(template, "AWS::CloudFront::CachePolicy", Map.of("CachePolicyConfig", Match.objectLike(Map.of(
                "MaxTTL", (int) GlintEdge.MEDIA_MAX_TTL.toSeconds(),
                "ParametersInCacheKeyAndForwardedToOrigin", Match.objectLike(Map.of(
                        "QueryStringsConfig", Map.of("QueryStringBehavior", "none")))))));
        String distribution = Templates.logicalId(template, "AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "Origins", List.of(Match.objectLike(Map.of(
                        "DomainName", Map.of("Fn::GetAtt", List.of(media, "RegionalDomainName")),
                        "OriginAccessControlId", Match.anyValue()))),
                "DefaultCacheBehavior", Match.objectLike(Map.of(
                        "AllowedMethods", List.of("GET", "HEAD"),
                        "CachePolicyId", Map.of("Ref", cachePolicy),
                        "TrustedKeyGroups", List.of(Map.of("Ref", keyGroup))))))));
        template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", Map.of("OriginAccessControlConfig", Match.objectLike(Map.of(
                "OriginAccessControlOriginType", "s3", "SigningBehavior", "always", "SigningProtocol", "sigv4"))));
        // The bucket lets that distribution, and no other, read its objects under media/, and nothing else.
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", media),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow",
                        "Action", "s3:GetObject",
                        "Resource", Map.of("Fn::Join", List.of("", List.of(Map.of("Fn::GetAtt", List.of(media, "Arn")), "/media/*"))),
                        "Principal", Map.of("Service", "cloudfront.amazonaws.com"),
                        "Condition", Map.of("StringEquals", Map.of("AWS:SourceArn", Match.objectLike(Map.of("Fn::Join",
                                Match.arrayWith(List.of(Match.arrayWith(List.of(Map.of("Ref", distribution)))))))))))))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theApiSignsMediaUrlsForTheDistributionWithTheKeyOfTheStagesSecret(String stage) {
        Template template = template(stage);
        String media = Templates.logicalId(template, "AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "DefaultCacheBehavior", Match.objectLike(Map.of("TrustedKeyGroups", Match.anyValue()))))));
        String publicKey = Templates.logicalId(template, "AWS::CloudFront::PublicKey", Map.of());
        // Created with the placeholder the api recognises (the template never holds the private key); an
        // operator puts the PEM in, and the stack never writes the value again.
        String secret = Templates.logicalId(template, "AWS::SecretsManager::Secret", Map.of(
                "SecretString", GlintResources.MEDIA_SIGNING_KEY_PLACEHOLDER));
        assertFalse(Templates.resource(template, secret).get("Properties").toString().contains("GenerateSecretString"));
        assertEquals("Retain", Templates.resource(template, secret).get("DeletionPolicy"));
        template.hasOutput("MediaSigningKeySecretArn", Map.of("Value", Map.of("Ref", secret)));

        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", GlintResources.API_FUNCTION.handlerClass() + "::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        GlintResources.ENV_MEDIA_URL, Map.of("Fn::Join", List.of("", List.of(
                                "https://", Map.of("Fn::GetAtt", List.of(media, "DomainName")), "/"))),
                        // Ref of a CloudFront public key is its id, what a signed URL names as Key-Pair-Id.
                        GlintResources.ENV_MEDIA_KEY_PAIR_ID, Map.of("Ref", publicKey),
                        GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET, Map.of("Ref", secret))))));
        for (var spec : List.of(GlintResources.MEDIA_WORKER_FUNCTION, GlintResources.FANOUT_WORKER_FUNCTION,
                GlintResources.STREAM_PROCESSOR_FUNCTION)) {
            String variables = Templates.resource(template, Templates.functionId(template, spec)).get("Properties").toString();
            assertFalse(variables.contains("GLINT_MEDIA_URL") || variables.contains("GLINT_MEDIA_KEY_PAIR_ID")
                    || variables.contains("GLINT_MEDIA_SIGNING_KEY_SECRET"), spec.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void onlyTheApiMayReadTheSigningKeyAndNoOtherSecret(String stage) {
        Template template = template(stage);
        String secret = Templates.logicalId(template, "AWS::SecretsManager::Secret", Map.of(
                "SecretString", GlintResources.MEDIA_SIGNING_KEY_PLACEHOLDER));
        for (var spec : GlintResources.FUNCTIONS) {
            List<Map<String, Object>> reads = Templates.statements(template, spec).stream()
                    .filter(statement -> Templates.list(statement.get("Action")).stream().anyMatch(a -> a.toString().startsWith("secretsmanager:")))
                    .toList();
            if (spec.equals(GlintResources.API_FUNCTION)) {
                assertEquals(List.of(Map.of("Action", "secretsmanager:GetSecretValue", "Effect", "Allow",
                        "Resource", Map.of("Ref", secret))), reads);
            } else {
                assertEquals(List.of(), reads, spec.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "sandbox-alice"})
    void withoutAnEdgeTheApiKeepsS3PresignedUrls(String stage) {
        Template template = template(stage);
        String variables = Templates.resource(template, Templates.functionId(template, GlintResources.API_FUNCTION))
                .get("Properties").toString();
        for (String name : List.of(GlintResources.ENV_MEDIA_URL, GlintResources.ENV_MEDIA_KEY_PAIR_ID,
                GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET)) {
            assertFalse(variables.contains(name + "="), name + " in " + stage);
        }
        assertEquals(0, template.findResources("AWS::SecretsManager::Secret", Map.of("Properties", Match.objectLike(Map.of(
                "SecretString", GlintResources.MEDIA_SIGNING_KEY_PLACEHOLDER)))).size());
        assertTrue(Templates.statements(template, GlintResources.API_FUNCTION).stream()
                .noneMatch(statement -> statement.get("Action").toString().contains("secretsmanager:")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void cloudFrontIsGrantedNothingButRenditionAndWebClientReads(String stage) {
        Template template = template(stage);
        List<String> granted = template.findResources("AWS::S3::BucketPolicy").values().stream()
                .flatMap(policy -> ((List<?>) ((Map<?, ?>) ((Map<?, ?>) policy.get("Properties")).get("PolicyDocument")).get("Statement")).stream())
                .filter(statement -> String.valueOf(((Map<?, ?>) statement).get("Principal")).contains("cloudfront"))
                .peek(statement -> assertEquals("s3:GetObject", ((Map<?, ?>) statement).get("Action")))
                .map(statement -> SiteTest.render(((Map<?, ?>) statement).get("Resource")))
                .sorted().toList();
        String media = Templates.logicalId(template, "AWS::S3::Bucket", Map.of("VersioningConfiguration", Map.of("Status", "Enabled")));
        String web = template.findResources("AWS::S3::Bucket").keySet().stream().filter(id -> id.startsWith("EdgeWebBucket"))
                .findFirst().orElseThrow();
        assertEquals(java.util.stream.Stream.of("{" + media + ".Arn}/media/*", "{" + web + ".Arn}/*").sorted().toList(), granted);
    }

    @Test
    void aStageOfUnknownRegionKeepsItsAclAndRefusesToDeployOutsideUsEast1() {
        @SuppressWarnings("unchecked")
        Map<String, Object> rules = (Map<String, Object>) template("beta").toJSON().get("Rules");
        assertTrue(rules.values().stream().anyMatch(rule -> rule.toString().contains(
                "{Fn::Equals=[{Ref=AWS::Region}, " + StageSettings.EDGE_REGION + "]}")), String.valueOf(rules));
        template("beta").resourceCountIs("AWS::WAFv2::WebACL", 1);
        assertTrue(SynthesizedStages.stage("beta").stack().aclStack().isEmpty());
    }

    @Test
    void aStageInAnotherRegionPutsItsAclInAUsEast1StackOfItsOwn() {
        GlintResourcesStack prod = SynthesizedStages.stage("prod").stack();
        assertEquals(SynthesizedStages.PROD_REGION, prod.getRegion());
        assertEquals(StageSettings.EDGE_REGION, prod.aclStack().orElseThrow().getRegion());
        assertEquals("prod-" + GlintApp.EDGE_ACL_STACK_ID, prod.aclStack().orElseThrow().getStackName());
        Template template = template("prod");
        template.resourceCountIs("AWS::WAFv2::WebACL", 0);
        assertFalse(template.toJSON().get("Rules").toString().contains(StageSettings.EDGE_REGION), "prod need not be in us-east-1");
        // Only the ACL goes there: the data, functions and distributions stay in the stage's region.
        Template acl = SynthesizedStages.stage("prod").aclTemplate().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) acl.toJSON().get("Resources");
        assertEquals(List.of("AWS::WAFv2::WebACL"), resources.values().stream().map(r -> r.get("Type")).toList());
    }

    @Test
    void aStageWithAnEdgeButWithoutItsMediaKeyIsRefusedAtSynth() {
        var key = assertThrows(IllegalArgumentException.class, () -> build(SynthesizedStages.settings("beta")
                .withEdge(new StageSettings.Edge(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))));
        assertTrue(key.getMessage().contains("-c mediaPublicKey="), key.getMessage());
    }

    @Test
    void aCustomDomainUsesItsUsEast1CertificateWithTls12() {
        String certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000";
        GlintResourcesStack stack = build(SynthesizedStages.settings("beta").withEdge(new StageSettings.Edge(
                Optional.of("beta.glint.photos"), Optional.of(certificate), Optional.empty(), Optional.of(SynthesizedStages.mediaKey()))));
        Annotations annotations = Annotations.fromStack(stack);
        assertEquals(List.of(), annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        Template.fromStack(stack).hasResourceProperties("AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "Aliases", List.of("beta.glint.photos"),
                "DefaultCacheBehavior", Match.objectLike(Map.of("FunctionAssociations", Match.anyValue())),
                "ViewerCertificate", Map.of("AcmCertificateArn", certificate, "MinimumProtocolVersion", "TLSv1.2_2021",
                        "SslSupportMethod", "sni-only")))));
        assertThrows(IllegalArgumentException.class, () -> new StageSettings.Edge(Optional.of("api.glint.photos"),
                Optional.of("arn:aws:acm:eu-west-1:123456789012:certificate/x"), Optional.empty(), Optional.empty()));
    }

    @Test
    void theContextNamesTheDomainItsCertificateTheRegionAndTheMediaKeyFile() {
        String certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000";
        StageSettings.Edge edge = GlintApp.settings(new App(AppProps.builder().context(Map.of("stage", "prod",
                "domainName", "api.glint.photos", "certificateArn", certificate, "region", "us-east-1",
                "mediaPublicKey", "src/test/resources/dev/glint/infra/media-test-public-key.pem")).build()).getNode()).checkedEdge();
        assertEquals(Optional.of("api.glint.photos"), edge.domainName());
        assertEquals(Optional.of(certificate), edge.certificateArn());
        assertEquals(Optional.of("us-east-1"), edge.region());
        assertEquals(Optional.of(SynthesizedStages.mediaKey()), edge.mediaPublicKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "sandbox-alice"})
    void devAndSandboxesHaveNoEdge(String stage) {
        Template template = template(stage);
        template.resourceCountIs("AWS::CloudFront::Distribution", 0);
        template.resourceCountIs("AWS::WAFv2::WebACL", 0);
        assertEquals(0, SynthesizedStages.localStack("beta").template().findResources("AWS::CloudFront::Distribution").size());
        assertTrue(GlintResources.MEDIA_BUCKET.noncurrentVersionDays().isPresent());
    }

    private static GlintResourcesStack build(StageSettings settings) {
        App app = new App(AppProps.builder().context(SynthesizedStages.cdkJsonContext()).build());
        return GlintApp.build(app, settings, SynthesizedStages.code());
    }
}
