package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.WebSocketLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.WebSocketLambdaAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Realtime delivery: the stage's WebSocket API in front of the {@code realtime} function's live alias,
 * its {@code $connect} guarded by the {@code realtime-authorizer} (a Lambda REQUEST authorizer on the
 * {@code token} query parameter, verifying the same Cognito tokens as the HTTP API), the
 * {@code subscribe} and {@code $default} routes answering through their route responses. Only the
 * publishers (stream processor, fan-out worker) may post to connections: {@code execute-api:ManageConnections}
 * on this stage's connections, and they learn its management endpoint from {@code GLINT_REALTIME_ENDPOINT}.
 */
public final class GlintRealtime extends Construct {

    /** The WebSocket API's one stage. */
    static final String STAGE = "live";
    /** The WebSocket API's access log line. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\",\"eventType\":\"$context.eventType\","
            + "\"connectionId\":\"$context.connectionId\",\"status\":\"$context.status\","
            + "\"integrationLatency\":\"$context.integration.latency\",\"authorizerError\":\"$context.authorizer.error\"}";

    private final WebSocketApi api;
    private final WebSocketStage stage;

    public GlintRealtime(Construct scope, String id, StageSettings settings, DataResources data, GlintFunctions functions,
                         List<UserPoolClient> audience) {
        super(scope, id);
        GlintFunctions.Deployed realtime = functions.function(GlintResources.REALTIME_FUNCTION.name());
        GlintFunctions.Deployed authorizerFunction = functions.function(GlintResources.REALTIME_AUTHORIZER_FUNCTION.name());

        // The authorizer verifies the tokens the HTTP API's JWT authorizer accepts: the pool's issuer, its clients.
        Function authorizerCode = authorizerFunction.function();
        authorizerCode.addEnvironment(GlintResources.ENV_JWT_ISSUER,
                "https://cognito-idp." + Aws.REGION + ".amazonaws.com/" + data.userPool().getUserPoolId());
        authorizerCode.addEnvironment(GlintResources.ENV_JWT_AUDIENCE,
                software.amazon.awscdk.Fn.join(",", audience.stream().map(UserPoolClient::getUserPoolClientId)
                        .collect(Collectors.toList())));

        WebSocketLambdaAuthorizer authorizer = new WebSocketLambdaAuthorizer("ConnectAuthorizer", authorizerFunction.live(),
                WebSocketLambdaAuthorizerProps.builder()
                        .identitySource(List.of("route.request.querystring.token"))
                        .build());
        WebSocketLambdaIntegration integration = new WebSocketLambdaIntegration("RealtimeIntegration", realtime.live());
        api = WebSocketApi.Builder.create(this, "WebSocketApi")
                .apiName(Aws.STACK_NAME + "-realtime")
                .description("Glint WebSocket API: realtime events by subscription, in front of the realtime function")
                .routeSelectionExpression("$request.body.action")
                .connectRouteOptions(WebSocketRouteOptions.builder().integration(integration).authorizer(authorizer).build())
                .disconnectRouteOptions(WebSocketRouteOptions.builder().integration(integration).build())
                .defaultRouteOptions(WebSocketRouteOptions.builder().integration(integration).returnResponse(true).build())
                .build();
        api.addRoute("subscribe", WebSocketRouteOptions.builder().integration(integration).returnResponse(true).build());

        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(settings.logRetention())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        LogGroupLogDestination destination = new LogGroupLogDestination(accessLogs);
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(STAGE)
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(settings.apiRateLimit()).burstLimit(settings.apiBurstLimit()).build())
                .accessLogSettings(GlintApis.accessLogs(destination, ACCESS_LOG_FORMAT))
                .build();

        // Only the publishers post to connections, and only to this stage's.
        for (String publisher : List.of(GlintResources.STREAM_PROCESSOR_FUNCTION.name(), GlintResources.FANOUT_WORKER_FUNCTION.name())) {
            Function function = functions.function(publisher).function();
            function.addToRolePolicy(PolicyStatement.Builder.create()
                    .actions(List.of("execute-api:ManageConnections"))
                    .resources(List.of(connectionsArn()))
                    .build());
            function.addEnvironment(GlintResources.ENV_REALTIME_ENDPOINT, stage.getCallbackUrl());
            NagSuppressions.addResourceSuppressions(function.getRole(), List.of(Nag.rule("AwsSolutions-IAM5",
                    "Connections are created at run time: <api>/live/*/@connections/* names this API's stage and its "
                            + "connections only (any method: POST to send, DELETE and GET are not used but share the action).",
                    List.of(Nag.regex("^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:"
                            + "<RealtimeWebSocketApi[0-9A-F]{8}>/live/\\*/@connections/\\*$")))), true);
        }
        NagSuppressions.addResourceSuppressions(api, List.of(Nag.rule("AwsSolutions-APIG4",
                "A WebSocket API authorizes at $connect only (API Gateway runs no authorizer on other routes): "
                        + "$connect has the Lambda REQUEST authorizer, and every later route runs as the user it let in.")), true);
    }

    /** {@code arn:aws:execute-api:<region>:<account>:<api>/<stage>/POST/@connections/*}: any method on this stage's connections. */
    String connectionsArn() {
        return "arn:" + Aws.PARTITION + ":execute-api:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + api.getApiId()
                + "/" + STAGE + "/*/@connections/*";
    }

    public WebSocketApi api() {
        return api;
    }

    public WebSocketStage stage() {
        return stage;
    }
}
