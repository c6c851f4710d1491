package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.PublicRoute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The live and preview HTTP APIs: every route but the public ones needs a Cognito JWT, requests reach
 * aliases (never $LATEST), access is logged, and routes are throttled.
 */
class HttpApiTest {

    @BeforeAll
    static void synthesize() {
        List.of("dev", "beta", "prod").forEach(SynthesizedStages::stage);
    }

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    /** How the staged API's description names it. */
    static final String STAGED = "staged API";

    /** The HTTP APIs of the stage, by a word of their description: the staged API only where there is an edge. */
    private static List<String> apis(String stage) {
        return StageSettings.forStage(stage).hasEdge() ? List.of("live alias", "preview", STAGED) : List.of("live alias", "preview");
    }

    private static String api(Template template, String descriptionWord) {
        return Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of(
                "Description", Match.stringLikeRegexp(".*" + descriptionWord + ".*"), "ProtocolType", "HTTP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void everyRouteButThePublicOnesNeedsACognitoJwt(String stage) {
        Template template = template(stage);
        String pool = Templates.logicalId(template, "AWS::Cognito::UserPool", Map.of());
        // The live API takes tokens of the web, product and operator clients; preview only the product
        // client's access tokens, with the preview scope.
        // The staged API (beta, prod) takes the live API's tokens: the edge's split sends ordinary users there.
        List<String> everyClient = List.of(client(template, "WebClient"), client(template, "ProductClient"), client(template, "OperatorClient"));
        Map<String, List<String>> audiences = Map.of(
                "live alias", everyClient,
                "preview", List.of(client(template, "ProductClient")),
                STAGED, everyClient);
        Map<String, Object> scopes = Map.of(
                "live alias", Match.absent(),
                "preview", List.of(PreviewAccessTest.previewScope(template)),
                STAGED, Match.absent());
        for (String word : apis(stage)) {
            String api = api(template, word);
            String authorizer = Templates.logicalId(template, "AWS::ApiGatewayV2::Authorizer", Map.of(
                    "ApiId", Map.of("Ref", api),
                    "AuthorizerType", "JWT",
                    "IdentitySource", List.of("$request.header.Authorization"),
                    "JwtConfiguration", Map.of(
                            "Audience", audiences.get(word).stream().map(id -> Map.of("Ref", id)).toList(),
                            "Issuer", issuer(stage, pool))));
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "ApiId", Map.of("Ref", api), "RouteKey", "$default",
                    "AuthorizationType", "JWT", "AuthorizerId", Map.of("Ref", authorizer),
                    "AuthorizationScopes", scopes.get(word)));
            for (PublicRoute route : GlintResources.PUBLIC_ROUTES) {
                template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                        "ApiId", Map.of("Ref", api), "RouteKey", route.method() + " " + route.path(),
                        "AuthorizationType", "NONE", "AuthorizationScopes", Match.absent()));
            }
            // $default and the public routes, nothing else
            template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Route", Map.of("ApiId", Map.of("Ref", api)),
                    1 + GlintResources.PUBLIC_ROUTES.size());
        }
    }

    /** The pool's issuer: the region is a literal where the stage's region is known at synth (prod here). */
    private static Map<String, Object> issuer(String stage, String pool) {
        return stage.equals("prod")
                ? Map.of("Fn::Join", List.of("", List.of("https://cognito-idp." + SynthesizedStages.PROD_REGION + ".amazonaws.com/",
                        Map.of("Ref", pool))))
                : Map.of("Fn::Join", List.of("", List.of("https://cognito-idp.", Map.of("Ref", "AWS::Region"),
                        ".amazonaws.com/", Map.of("Ref", pool))));
    }

    /** The app client whose logical id starts with {@code DataUsers<name>}. */
    static String client(Template template, String name) {
        var ids = template.findResources("AWS::Cognito::UserPoolClient").keySet().stream()
                .filter(id -> id.matches("DataUsers" + name + "[0-9A-F]{8}")).toList();
        assertEquals(1, ids.size(), "app clients named " + name + ": " + ids);
        return ids.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theLiveApiCallsTheLiveAliasWithPayloadVersion2(String stage) {
        Template template = template(stage);
        String live = Templates.aliasId(template, GlintResources.API_FUNCTION, GlintFunctions.LIVE_ALIAS);
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "ApiId", Map.of("Ref", api(template, "live alias")),
                "IntegrationType", "AWS_PROXY",
                "IntegrationUri", Map.of("Ref", live),
                "PayloadFormatVersion", "2.0"));
        // Only aliases are integrated: an integration of the function itself would serve $LATEST. (The
        // WebSocket API's integration and authorizer call the realtime functions' live aliases: RealtimeApiTest.)
        for (String word : apis(stage)) {
            template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Integration", Map.of("ApiId", Map.of("Ref", api(template, word))), 1);
        }
        if (StageSettings.forStage(stage).hasEdge()) {
            // The staged API serves the newest version, as the preview API does, to the split's users.
            template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                    "ApiId", Map.of("Ref", api(template, STAGED)),
                    "IntegrationType", "AWS_PROXY",
                    "IntegrationUri", Map.of("Ref", Templates.aliasId(template, GlintResources.API_FUNCTION, GlintFunctions.PREVIEW_ALIAS)),
                    "PayloadFormatVersion", "2.0"));
        }
        template.allResourcesProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "Principal", "apigateway.amazonaws.com",
                "FunctionName", Match.objectLike(Map.of("Ref",
                        Match.stringLikeRegexp("Functions(Api(Live|Preview)|Realtime(Authorizer)?Live)Alias.*"))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void everyHttpApiLogsEveryRequestAndThrottlesPublicRoutesTighter(String stage) {
        Template template = template(stage);
        StageSettings settings = StageSettings.forStage(stage);
        Map<String, int[]> limits = Map.of(
                "live alias", new int[]{settings.apiRateLimit(), settings.apiBurstLimit()},
                "preview", new int[]{settings.previewRateLimit(), settings.previewBurstLimit()},
                // Any share of the live traffic, up to all of it, may go to the staged API.
                STAGED, new int[]{settings.apiRateLimit(), settings.apiBurstLimit()});
        limits.forEach((word, limit) -> {
            if (!apis(stage).contains(word)) {
                template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*" + word + ".*")), 0);
                return;
            }
            Map<String, Object> publicRoute = Map.of(
                    "ThrottlingRateLimit", Math.min(GlintApis.PUBLIC_ROUTE_RATE_LIMIT, limit[0]),
                    "ThrottlingBurstLimit", Math.min(GlintApis.PUBLIC_ROUTE_BURST_LIMIT, limit[1]),
                    "DetailedMetricsEnabled", true);
            template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                    "ApiId", Map.of("Ref", api(template, word)),
                    "StageName", "$default",
                    "AutoDeploy", true,
                    "DefaultRouteSettings", Map.of(
                            "ThrottlingRateLimit", limit[0], "ThrottlingBurstLimit", limit[1], "DetailedMetricsEnabled", true),
                    "RouteSettings", Map.of("GET /health", publicRoute, "GET /openapi.yaml", publicRoute),
                    "AccessLogSettings", Map.of(
                            "DestinationArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Apis.*AccessLogs.*"), "Arn")),
                            "Format", GlintApis.ACCESS_LOG_FORMAT)));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theWebClientsOriginsMayCallTheApiAndReadTheVersionHeader(String stage) {
        Template template = template(stage);
        // Every HTTP API (a WebSocket API has no CORS: a browser's WebSocket is not a CORS request).
        int httpApis = apis(stage).size();
        template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"), httpApis);
        template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP",
                "CorsConfiguration", Match.objectLike(Map.of(
                "AllowOrigins", SynthesizedStages.settings(stage).webOrigins(),
                "ExposeHeaders", Match.arrayWith(List.of("x-request-id", "x-glint-version"))))), httpApis);
    }
}
