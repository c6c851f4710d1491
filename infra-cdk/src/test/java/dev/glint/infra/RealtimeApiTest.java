package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

/**
 * The WebSocket API of realtime delivery, per stage: routes by {@code $request.body.action}, {@code $connect}
 * behind the Lambda REQUEST authorizer on {@code ?token=}, two-way {@code subscribe} and {@code $default},
 * integrations on the live aliases, a logged and throttled {@code live} stage, and the publishers told
 * where its management endpoint is.
 */
class RealtimeApiTest {

    @BeforeAll
    static void synthesize() {
        List.of("dev", "beta", "prod").forEach(SynthesizedStages::stage);
    }

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    private static String webSocketApi(Template template) {
        return Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of(
                "ProtocolType", "WEBSOCKET", "RouteSelectionExpression", "$request.body.action"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void connectingNeedsATokenTheAuthorizerAccepts(String stage) {
        Template template = template(stage);
        String api = webSocketApi(template);
        String authorizer = Templates.logicalId(template, "AWS::ApiGatewayV2::Authorizer", Map.of(
                "ApiId", Map.of("Ref", api),
                "AuthorizerType", "REQUEST",
                "IdentitySource", List.of("route.request.querystring.token")));
        String authorizerAlias = Templates.aliasId(template, GlintResources.REALTIME_AUTHORIZER_FUNCTION, GlintFunctions.LIVE_ALIAS);
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "ApiId", Map.of("Ref", api),
                "AuthorizerUri", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(
                        List.of(Map.of("Ref", authorizerAlias)))))))));
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "ApiId", Map.of("Ref", api), "RouteKey", "$connect",
                "AuthorizationType", "CUSTOM", "AuthorizerId", Map.of("Ref", authorizer)));
        // The authorizer verifies the pool's tokens for the clients the HTTP API accepts.
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", GlintResources.REALTIME_AUTHORIZER_FUNCTION.handlerClass() + "::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        GlintResources.ENV_JWT_ISSUER, Match.objectLike(Map.of("Fn::Join", Match.anyValue())),
                        GlintResources.ENV_JWT_AUDIENCE, Match.objectLike(Map.of("Fn::Join", Match.anyValue())))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void subscribeAndDefaultAnswerDownTheConnectionAndDisconnectIsOpen(String stage) {
        Template template = template(stage);
        String api = webSocketApi(template);
        for (String key : List.of("subscribe", "$default")) {
            String route = Templates.logicalId(template, "AWS::ApiGatewayV2::Route", Map.of(
                    "ApiId", Map.of("Ref", api), "RouteKey", key, "RouteResponseSelectionExpression", "$default"));
            template.hasResourceProperties("AWS::ApiGatewayV2::RouteResponse", Map.of(
                    "ApiId", Map.of("Ref", api), "RouteId", Map.of("Ref", route), "RouteResponseKey", "$default"));
        }
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "ApiId", Map.of("Ref", api), "RouteKey", "$disconnect", "AuthorizationType", "NONE"));
        template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Route", Map.of("ApiId", Map.of("Ref", api)), 4);
        // Every route calls the realtime function's live alias, never $LATEST.
        String alias = Templates.aliasId(template, GlintResources.REALTIME_FUNCTION, GlintFunctions.LIVE_ALIAS);
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "ApiId", Map.of("Ref", api), "IntegrationType", "AWS_PROXY",
                "IntegrationUri", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(
                        List.of(Map.of("Ref", alias)))))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theLiveStageIsLoggedAndThrottledAndThePublishersKnowItsManagementEndpoint(String stage) {
        Template template = template(stage);
        String api = webSocketApi(template);
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "ApiId", Map.of("Ref", api), "StageName", GlintRealtime.STAGE, "AutoDeploy", true,
                "AccessLogSettings", Match.objectLike(Map.of("Format", GlintRealtime.ACCESS_LOG_FORMAT)),
                "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", Match.anyValue()))));
        Object endpoint = Match.objectLike(Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                "https://", Map.of("Ref", api))))));
        for (var spec : GlintResources.FUNCTIONS) {
            boolean publisher = spec.equals(GlintResources.STREAM_PROCESSOR_FUNCTION) || spec.equals(GlintResources.FANOUT_WORKER_FUNCTION);
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(
                            GlintResources.ENV_REALTIME_ENDPOINT, publisher ? endpoint : Match.absent())))));
        }
    }
}
