package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sticky split at the edge (beta, prod): a CloudFront key-value store holds the staged API's share of
 * users, and a CloudFront Function on every API behavior of the site sends the users in that share to the
 * staged API (the newest api version, with the live API's audience). The function's logic is checked by
 * {@link EdgeSplitFunctionTest}; this pins what the template deploys.
 */
class EdgeSplitTest {

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    private static String only(Template template, String type, String prefix) {
        List<String> ids = template.findResources(type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        assertEquals(1, ids.size(), type + " " + prefix + "*: " + ids);
        return ids.get(0);
    }

    private static String stagedApi(Template template) {
        return Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of(
                "Description", Match.stringLikeRegexp(".*" + HttpApiTest.STAGED + ".*"), "ProtocolType", "HTTP"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Template template, String id) {
        return (Map<String, Object>) Templates.resource(template, id).get("Properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void aKeyValueStoreHoldsTheSplitAndStartsEmpty(String stage) {
        Template template = template(stage);
        template.resourceCountIs("AWS::CloudFront::KeyValueStore", 1);
        String store = only(template, "AWS::CloudFront::KeyValueStore", "EdgeSplitStore");
        // No import source: nothing is uploaded as an asset, and no key means everyone is live.
        assertFalse(properties(template, store).containsKey("ImportSource"), properties(template, store).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theSplitFunctionIsTheTestedScriptWithTheStagedApisDomainAndReadsTheStore(String stage) {
        Template template = template(stage);
        String store = only(template, "AWS::CloudFront::KeyValueStore", "EdgeSplitStore");
        String function = only(template, "AWS::CloudFront::Function", "EdgeApiSplit");
        Map<String, Object> props = properties(template, function);
        assertEquals(true, props.get("AutoPublish"));
        template.hasResourceProperties("AWS::CloudFront::Function", Map.of(
                "FunctionConfig", Match.objectLike(Map.of(
                        "Runtime", "cloudfront-js-2.0",
                        "KeyValueStoreAssociations", List.of(Map.of("KeyValueStoreARN", Map.of("Fn::GetAtt", List.of(store, "Arn"))))))));

        // The domain the function moves requests to: the live origin's domain expression, for the staged API.
        String live = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*live alias.*")));
        String liveDomain = null;
        for (Object origin : (List<?>) siteConfig(template).get("Origins")) {
            String domain = SiteTest.render(((Map<?, ?>) origin).get("DomainName"));
            if (domain.contains("{" + live + ".ApiEndpoint}")) {
                liveDomain = domain;
            }
        }
        assertEquals("{Select 2 {Split / {" + live + ".ApiEndpoint}}}", liveDomain);
        String stagedDomain = "{Select 2 {Split / {" + stagedApi(template) + ".ApiEndpoint}}}";
        String code = GlintEdge.resource(GlintEdge.API_SPLIT_FUNCTION);
        assertTrue(code.contains(GlintEdge.STAGED_DOMAIN_PLACEHOLDER));
        assertEquals(code.replace(GlintEdge.STAGED_DOMAIN_PLACEHOLDER, stagedDomain), SiteTest.render(props.get("FunctionCode")));
        // CloudFront Functions take at most 10 KB of code; the domain adds about 50 bytes at deploy.
        assertTrue(code.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 4 * 1024, "the function stays small");
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void everyApiBehaviorRunsTheSplitAndThePagesDoNot(String stage) {
        Template template = template(stage);
        Object split = Map.of("Fn::GetAtt", List.of(only(template, "AWS::CloudFront::Function", "EdgeApiSplit"), "FunctionARN"));
        Map<String, Object> config = siteConfig(template);
        List<?> behaviors = (List<?>) config.get("CacheBehaviors");
        assertEquals(GlintEdge.apiPathPatterns().size(), behaviors.size());
        for (Object b : behaviors) {
            assertEquals(List.of(Map.of("EventType", "viewer-request", "FunctionARN", split)),
                    ((Map<?, ?>) b).get("FunctionAssociations"), b.toString());
        }
        // The pages and files are the same for every user: their behavior keeps the site's own function only.
        List<?> pages = (List<?>) ((Map<?, ?>) config.get("DefaultCacheBehavior")).get("FunctionAssociations");
        assertEquals(1, pages.size());
        assertFalse(pages.get(0).toString().contains("EdgeApiSplit"), pages.toString());
        // The media distribution runs no function.
        template.resourcePropertiesCountIs("AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "DefaultCacheBehavior", Match.objectLike(Map.of("FunctionAssociations", Match.anyValue()))))), 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theStagedApiServesThePreviewAliasToTheLiveApisAudienceWithoutTheScope(String stage) {
        Template template = template(stage);
        String staged = stagedApi(template);
        String live = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*live alias.*")));
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "ApiId", Map.of("Ref", staged),
                "IntegrationUri", Map.of("Ref", Templates.aliasId(template, GlintResources.API_FUNCTION, GlintFunctions.PREVIEW_ALIAS))));
        Map<String, Object> liveJwt = properties(template, Templates.logicalId(template, "AWS::ApiGatewayV2::Authorizer",
                Map.of("ApiId", Map.of("Ref", live))));
        Map<String, Object> stagedJwt = properties(template, Templates.logicalId(template, "AWS::ApiGatewayV2::Authorizer",
                Map.of("ApiId", Map.of("Ref", staged))));
        assertEquals(liveJwt.get("JwtConfiguration"), stagedJwt.get("JwtConfiguration"));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "ApiId", Map.of("Ref", staged), "RouteKey", "$default", "AuthorizationType", "JWT",
                "AuthorizationScopes", Match.absent()));
        // The browser calls it through the site (same origin); its CORS is the live API's, for direct calls.
        assertEquals(properties(template, live).get("CorsConfiguration"), properties(template, staged).get("CorsConfiguration"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theStackNamesTheStoreAndTheStagedApiForTheCommandLine(String stage) {
        Template template = template(stage);
        template.hasOutput("SplitStoreArn", Map.of("Value",
                Map.of("Fn::GetAtt", List.of(only(template, "AWS::CloudFront::KeyValueStore", "EdgeSplitStore"), "Arn"))));
        // One stage, the $default one, whose URL the output gives.
        Templates.logicalId(template, "AWS::ApiGatewayV2::Stage", Map.of("ApiId", Map.of("Ref", stagedApi(template)), "StageName", "$default"));
        template.hasOutput("StagedApiUrl", Map.of("Value", Match.objectLike(Map.of("Fn::Join", Match.anyValue()))));
        String url = SiteTest.render(template.findOutputs("StagedApiUrl").get("StagedApiUrl").get("Value"));
        assertTrue(url.startsWith("https://{Ref " + stagedApi(template) + "}.execute-api."), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "sandbox-alice"})
    void stagesWithoutAnEdgeHaveNoSplit(String stage) {
        Template template = template(stage);
        template.resourceCountIs("AWS::CloudFront::KeyValueStore", 0);
        template.resourceCountIs("AWS::CloudFront::Function", 0);
        template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Api", Map.of(
                "Description", Match.stringLikeRegexp(".*" + HttpApiTest.STAGED + ".*")), 0);
        assertTrue(template.findOutputs("SplitStoreArn").isEmpty());
        assertTrue(template.findOutputs("StagedApiUrl").isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> siteConfig(Template template) {
        String site = Templates.logicalId(template, "AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "DefaultCacheBehavior", Match.objectLike(Map.of("FunctionAssociations", Match.anyValue()))))));
        return (Map<String, Object>) properties(template, site).get("DistributionConfig");
    }
}
