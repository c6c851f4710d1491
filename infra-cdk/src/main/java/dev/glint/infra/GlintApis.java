package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.PublicRoute;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stage's HTTP APIs, all in front of the api function and all behind the Cognito JWT
 * authorizer (except {@link GlintResources#PUBLIC_ROUTES}):
 * <ul>
 *   <li>the live API calls the {@code live} alias, which CodeDeploy moves version by version; it
 *       accepts tokens of the web, product and operator clients;</li>
 *   <li>the preview API calls the {@code preview} alias, which is always the newest version: a
 *       product team tries a version by URL before (and while) it takes live traffic. It accepts
 *       access tokens of the product client only, carrying the {@code glint/preview} scope.</li>
 *   <li>in stages with an edge (beta, prod), the staged API also calls the {@code preview} alias, with the
 *       live API's audience and no scope: the site distribution's split sends a sticky share of users
 *       there with their ordinary tokens ({@link GlintEdge}, {@code api-split.js}).</li>
 * </ul>
 * Each has access logs, a throttle for all routes and a tighter one for the public routes. HTTP APIs
 * do not trace with X-Ray; the functions do.
 */
public final class GlintApis extends Construct {

    /** Public routes answer anyone, so they get a much smaller share of the stage's throughput. */
    static final int PUBLIC_ROUTE_RATE_LIMIT = 10;
    static final int PUBLIC_ROUTE_BURST_LIMIT = 20;

    /** One access log line per request, JSON, with what an on-call engineer asks first. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"requestTime\":\"$context.requestTime\",\"method\":\"$context.httpMethod\",\"path\":\"$context.path\","
            + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
            + "\"responseLength\":\"$context.responseLength\",\"responseLatency\":\"$context.responseLatency\","
            + "\"integrationStatus\":\"$context.integration.status\",\"integrationLatency\":\"$context.integration.latency\","
            + "\"integrationError\":\"$context.integration.error\",\"authorizerError\":\"$context.authorizer.error\"}";

    private final Map<HttpApi, List<HttpRoute>> publicRoutes = new LinkedHashMap<>();
    private final UserPoolClient webClient;
    private final UserPoolClient productClient;
    private final UserPoolClient operatorClient;
    private final HttpApi live;
    private final HttpStage liveStage;
    private final HttpApi preview;
    private final HttpStage previewStage;
    private final HttpApi staged;
    private final HttpStage stagedStage;

    public GlintApis(Construct scope, String id, StageSettings settings, DataResources data, GlintFunctions functions) {
        super(scope, id);
        StageSettings.SignIn signIn = settings.checkedSignIn();
        // The web client: the hosted sign-in with the authorization code flow (a public client, so the
        // page proves the code is its own with PKCE), or SRP; no implicit flow, no admin scope, no
        // password sign-in with admin rights.
        webClient = codeFlowClient(data, signIn, "WebClient",
                List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE), Duration.days(30));
        // The product team's client: the same code flow, and the only client that may ask for the
        // preview scope, which the preview API requires (access tokens carry it).
        productClient = codeFlowClient(data, signIn, "ProductClient",
                List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE, data.previewScope()), Duration.hours(12));
        // Operators get a token from the command line (admin-initiate-auth, which needs IAM rights on the
        // pool) through a client of their own: no OAuth, so no custom scope, so never the preview API.
        operatorClient = data.userPool().addClient("OperatorClient", UserPoolClientOptions.builder()
                .authFlows(AuthFlow.builder().adminUserPassword(true).build())
                .disableOAuth(true)
                .generateSecret(false)
                .preventUserExistenceErrors(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.hours(1))
                .build());

        Alias liveAlias = functions.function(GlintResources.API_FUNCTION.name()).live();
        live = api("Live", "-api", "Glint HTTP API: the live alias of the api function", liveAlias, settings, data,
                List.of(webClient, productClient, operatorClient), List.of());
        liveStage = stage(live, "Live", settings.apiRateLimit(), settings.apiBurstLimit(), settings);
        preview = api("Preview", "-preview", "Glint preview API: the newest version of the api function, before it takes live traffic",
                functions.preview(), settings, data, List.of(productClient), List.of(data.previewScope().getScopeName()));
        previewStage = stage(preview, "Preview", settings.previewRateLimit(), settings.previewBurstLimit(), settings);
        if (settings.hasEdge()) {
            // The newest version for a share of ordinary users. The preview alias, not an alias of its own:
            // it already is the version being staged (moved before live, moved back by a rollback, and an
            // operator may point it at any kept version), and a second alias would need its own keeping.
            staged = api("Staged", "-staged", "Glint staged API: the newest version of the api function, for the "
                            + "users the edge's split sends to it", functions.preview(), settings, data,
                    List.of(webClient, productClient, operatorClient), List.of());
            // Any share of the live traffic may come here, up to all of it: the live API's throttle.
            stagedStage = stage(staged, "Staged", settings.apiRateLimit(), settings.apiBurstLimit(), settings);
        } else {
            staged = null;
            stagedStage = null;
        }
    }

    private HttpApi api(String id, String nameSuffix, String description, Alias target, StageSettings settings,
                        DataResources data, List<UserPoolClient> audience, List<String> requiredScopes) {
        HttpLambdaIntegration integration = new HttpLambdaIntegration(id + "Integration", target,
                HttpLambdaIntegrationProps.builder().payloadFormatVersion(PayloadFormatVersion.VERSION_2_0).build());
        // An authorizer belongs to one API, so each API binds its own to the same pool and client.
        HttpUserPoolAuthorizer authorizer = new HttpUserPoolAuthorizer(id + "Authorizer", data.userPool(),
                HttpUserPoolAuthorizerProps.builder().userPoolClients(audience).build());
        HttpApi api = HttpApi.Builder.create(this, id + "Api")
                // Derived from the stack name at deploy time: never the same in two stages.
                .apiName(Aws.STACK_NAME + nameSuffix)
                .description(description)
                .createDefaultStage(false)
                .defaultIntegration(integration)
                .defaultAuthorizer(authorizer)
                .defaultAuthorizationScopes(requiredScopes)
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(settings.webOrigins())
                        .allowMethods(List.of(CorsHttpMethod.ANY))
                        .allowHeaders(List.of("authorization", "content-type", "if-none-match", "if-match", "idempotency-key"))
                        .exposeHeaders(List.of("x-request-id", "x-glint-version", "etag", "location", "retry-after",
                                "idempotent-replayed"))
                        .maxAge(Duration.hours(1))
                        .build())
                .build();
        List<HttpRoute> publicRoutes = new ArrayList<>();
        for (PublicRoute route : GlintResources.PUBLIC_ROUTES) {
            List<HttpRoute> routes = api.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(HttpMethod.valueOf(route.method())))
                    .integration(integration)
                    .authorizer(new HttpNoneAuthorizer())
                    // Scopes belong to the JWT authorizer; a public route has none to check.
                    .authorizationScopes(List.of())
                    .build());
            routes.forEach(r -> NagSuppressions.addResourceSuppressions(r, List.of(Nag.rule("AwsSolutions-APIG4",
                    "A public route by design (GlintResources.PUBLIC_ROUTES): the web client's pages and files, health probes "
                            + "and the API description need no user, and a digest's unsubscribe link is authorized by its own "
                            + "signed token; the route has its own tight throttle."))));
            publicRoutes.addAll(routes);
        }
        this.publicRoutes.put(api, publicRoutes);
        return api;
    }

    /** A stage's JSON access log lines, in the format given, to the log group of the destination. */
    static IAccessLogSettings accessLogs(LogGroupLogDestination destination, String format) {
        return new IAccessLogSettings() {
            @Override
            public IAccessLogDestination getDestination() {
                return destination;
            }

            @Override
            public AccessLogFormat getFormat() {
                return AccessLogFormat.custom(format);
            }
        };
    }

    private HttpStage stage(HttpApi api, String id, int rateLimit, int burstLimit, StageSettings settings) {
        LogGroup accessLogs = LogGroup.Builder.create(this, id + "AccessLogs")
                .retention(settings.logRetention())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        LogGroupLogDestination destination = new LogGroupLogDestination(accessLogs);
        HttpStage stage = api.addStage(id + "DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .detailedMetricsEnabled(true)
                .throttle(ThrottleSettings.builder().rateLimit(rateLimit).burstLimit(burstLimit).build())
                .accessLogSettings(accessLogs(destination, ACCESS_LOG_FORMAT))
                .build());
        // Per-route throttles live on the stage and name routes by key: the routes must exist first.
        Map<String, Object> routeSettings = new LinkedHashMap<>();
        for (PublicRoute route : GlintResources.PUBLIC_ROUTES) {
            routeSettings.put(route.method() + " " + route.path(), new TreeMap<>(Map.of(
                    "ThrottlingRateLimit", Math.min(PUBLIC_ROUTE_RATE_LIMIT, rateLimit),
                    "ThrottlingBurstLimit", Math.min(PUBLIC_ROUTE_BURST_LIMIT, burstLimit),
                    "DetailedMetricsEnabled", true)));
        }
        ((CfnStage) stage.getNode().getDefaultChild()).setRouteSettings(routeSettings);
        publicRoutes.get(api).forEach(route -> stage.getNode().addDependency(route));
        return stage;
    }

    public UserPoolClient webClient() {
        return webClient;
    }

    public UserPoolClient productClient() {
        return productClient;
    }

    public UserPoolClient operatorClient() {
        return operatorClient;
    }

    public HttpApi live() {
        return live;
    }

    public HttpStage liveStage() {
        return liveStage;
    }

    public HttpApi preview() {
        return preview;
    }

    public HttpStage previewStage() {
        return previewStage;
    }

    /** The staged API, in stages with an edge: the split's users reach the newest version through it. */
    public java.util.Optional<HttpApi> staged() {
        return java.util.Optional.ofNullable(staged);
    }

    public java.util.Optional<HttpStage> stagedStage() {
        return java.util.Optional.ofNullable(stagedStage);
    }

    /** A public client of the hosted sign-in: authorization code flow only (PKCE, no secret) or SRP. */
    private static UserPoolClient codeFlowClient(DataResources data, StageSettings.SignIn signIn, String id,
                                                 List<OAuthScope> scopes, Duration refreshTokenValidity) {
        return data.userPool().addClient(id, UserPoolClientOptions.builder()
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false).build())
                        .scopes(scopes)
                        .callbackUrls(signIn.callbackUrls())
                        .logoutUrls(signIn.logoutUrls())
                        .build())
                .generateSecret(false)
                .preventUserExistenceErrors(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(refreshTokenValidity)
                .build());
    }
}
