package dev.glint.local;

import dev.glint.local.template.CfnTemplate;
import dev.glint.local.template.Intrinsics;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What template mode reads from a template before anything runs: functions, routes, and what stops the start. */
class TemplateStackTest {

    private static final String ROLE = """
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
            "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": [{"Ref": "Role"}],
              "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}}},
            """;

    private static String api(String environment) {
        return ROLE + """
                "Api": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "dev.glint.api.ApiLambda::handleRequest",
                  "Runtime": "java21", "MemorySize": 1024, "Timeout": 29, "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                  "Environment": {"Variables": %s}}},
                "Live": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Api"}, "Name": "live", "FunctionVersion": "1"}}
                """.formatted(environment);
    }

    private static TemplateStack read(String resources) throws Exception {
        return TemplateStack.provision(CfnTemplate.parse("{\"Resources\": {" + resources + "}}"), "t", null, null, null,
                Optional.empty(), id -> "secret", PORTS);
    }

    private static final TemplateStack.RealtimePorts PORTS = new TemplateStack.RealtimePorts(4510, 4511);

    @Test
    void aFunctionIsTheGlintHandlerItNamesWithTheTemplatesEnvironmentAndItsRolesPolicies() throws Exception {
        TemplateStack stack = read(api("{\"GLINT_TABLE\": \"t\", \"FN\": {\"Fn::GetAtt\": [\"Api\", \"Arn\"]}}"));
        var api = stack.function("api").orElseThrow();
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:t-api", api.environment().get("FN"));
        assertEquals(29, api.timeoutSeconds());
        assertEquals(1, api.statements().size());
        assertEquals("Policy#0", api.statements().get(0).source());
    }

    @Test
    void aValueWithNoLocalMeaningStopsTheStartNamingTheLogicalIdAndProperty() {
        var e = assertThrows(Intrinsics.Unresolvable.class, () -> read(api("{\"TOPIC\": {\"Ref\": \"AlarmTopic\"}}")));
        assertEquals("Api", e.logicalId());
        assertEquals("Properties.Environment.Variables.TOPIC.Ref", e.path());
        var imported = assertThrows(Intrinsics.Unresolvable.class, () -> read(api("{\"X\": {\"Fn::ImportValue\": \"other\"}}")));
        assertEquals("Properties.Environment.Variables.X.Fn::ImportValue", imported.path());
    }

    @Test
    void aJavaFunctionWithAnUnknownHandlerStopsTheStart() {
        var e = assertThrows(Intrinsics.Unresolvable.class, () -> read(ROLE + """
                "Other": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "com.example.Other::handle",
                  "Runtime": "java21", "Role": {"Fn::GetAtt": ["Role", "Arn"]}}}
                """));
        assertEquals("Other", e.logicalId());
        assertEquals("Properties.Handler", e.path());
    }

    @Test
    void routesWithoutAnAuthorizerArePublicAndTheRestGoToTheDefaultRouteWithItsJwtAuthorizer() throws Exception {
        TemplateStack stack = read(api("{}") + """
                ,"Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
                "Integration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Http"},
                  "IntegrationUri": {"Ref": "Live"}}},
                "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
                "Client": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {"UserPoolId": {"Ref": "Pool"}}},
                "Jwt": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "Http"}, "AuthorizerType": "JWT",
                  "JwtConfiguration": {"Audience": [{"Ref": "Client"}],
                    "Issuer": {"Fn::Join": ["", ["https://cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": "Pool"}]]}}}},
                "Default": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "$default",
                  "AuthorizationType": "JWT", "AuthorizerId": {"Ref": "Jwt"}}},
                "Health": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "GET /health",
                  "AuthorizationType": "NONE"}},
                "Public": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "GET /pub/{proxy+}"}}
                """);
        var routes = stack.gatewayRoutes();
        assertFalse(routes.requiresToken("GET", "/health"));
        assertEquals("GET /health", routes.routeKey("GET", "/health"));
        assertTrue(routes.requiresToken("POST", "/health"), "another method takes the $default route");
        assertTrue(routes.requiresToken("GET", "/v1/me"));
        assertEquals("$default", routes.routeKey("GET", "/v1/me"));
        assertFalse(routes.requiresToken("GET", "/pub/a/b"), "a route the template leaves without authorizer is public");
        assertEquals("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool", stack.authorizer.issuer());
        assertEquals(java.util.List.of("client"), stack.authorizer.audience());
    }

    /** A WebSocket API as CDK writes it (GlintRealtime): a REQUEST authorizer on $connect, Lambda integrations on live aliases. */
    private static String webSocket(String selection, String identitySource) {
        return ROLE + """
                "Realtime": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "dev.glint.realtime.RealtimeLambda::handleRequest",
                  "Runtime": "java21", "Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
                "RealtimeLive": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Realtime"}, "Name": "live", "FunctionVersion": "1"}},
                "Authorizer": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "dev.glint.authorizer.AuthorizerLambda::handleRequest",
                  "Runtime": "java21", "Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
                "AuthorizerLive": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Authorizer"}, "Name": "live", "FunctionVersion": "1"}},
                "Publisher": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "dev.glint.streamprocessor.StreamProcessorLambda::handleRequest",
                  "Runtime": "java21", "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Environment": {"Variables": {
                    "GLINT_REALTIME_ENDPOINT": {"Fn::Join": ["", ["https://", {"Ref": "Ws"}, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/live"]]},
                    "PAGE_URL": {"Fn::Join": ["", ["wss://", {"Ref": "Ws"}, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/live"]]},
                    "ENDPOINT": {"Fn::GetAtt": ["Ws", "ApiEndpoint"]}}}}},
                "Ws": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "%s"}},
                "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Ws"}, "StageName": "live"}},
                "Integration": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Ws"}, "IntegrationType": "AWS_PROXY",
                  "IntegrationUri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                    ":lambda:path/2015-03-31/functions/", {"Ref": "RealtimeLive"}, "/invocations"]]}}},
                "Connect": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "Ws"}, "AuthorizerType": "REQUEST",
                  "AuthorizerUri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                    ":lambda:path/2015-03-31/functions/", {"Ref": "AuthorizerLive"}, "/invocations"]]},
                  "IdentitySource": ["%s"], "Name": "ConnectAuthorizer"}},
                "ConnectRoute": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Ws"}, "RouteKey": "$connect",
                  "AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "Connect"},
                  "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]}}},
                "DisconnectRoute": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Ws"}, "RouteKey": "$disconnect",
                  "AuthorizationType": "NONE", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]}}},
                "SubscribeRoute": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Ws"}, "RouteKey": "subscribe",
                  "AuthorizationType": "NONE", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]}}},
                "OneWay": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Ws"}, "RouteKey": "ping",
                  "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]}}},
                "SubscribeResponse": {"Type": "AWS::ApiGatewayV2::RouteResponse", "Properties": {"ApiId": {"Ref": "Ws"},
                  "RouteId": {"Ref": "SubscribeRoute"}, "RouteResponseKey": "$default"}}
                """.formatted(selection, identitySource);
    }

    @Test
    void theWebSocketApiIsReadWithItsStageRoutesIntegrationsTwoWayRoutesAndConnectAuthorizer() throws Exception {
        TemplateStack stack = read(webSocket("$request.body.action", "route.request.querystring.token"));
        var ws = stack.webSocketApi;
        assertEquals("live", ws.stage());
        assertEquals("action", ws.selectionField());
        assertEquals(java.util.Map.of("$connect", "realtime", "$disconnect", "realtime", "subscribe", "realtime", "ping", "realtime"), ws.routes());
        assertEquals(java.util.Set.of("subscribe"), ws.twoWay(), "only a route with a route response answers the client");
        assertEquals("realtime-authorizer", ws.authorizer());
        assertEquals(java.util.List.of("route.request.querystring.token"), ws.identitySources());
    }

    @Test
    void theStagesCallbackUrlAndTheWebSocketUrlsResolveToTheLocalGateway() throws Exception {
        var env = read(webSocket("$request.body.action", "route.request.querystring.token")).function("stream-processor").orElseThrow().environment();
        assertEquals("http://127.0.0.1:4511/live", env.get("GLINT_REALTIME_ENDPOINT"), "the management API, as the publishers post to it");
        assertEquals("ws://127.0.0.1:4510/live", env.get("PAGE_URL"), "the stage's wss:// URL, as CDK joins it");
        assertEquals("ws://127.0.0.1:4510", env.get("ENDPOINT"), "Fn::GetAtt ApiEndpoint has no stage, as on AWS");
    }

    @Test
    void aRouteSelectionOrIdentitySourceTheGatewayCannotEvaluateStopsTheStart() {
        var header = assertThrows(Intrinsics.Unresolvable.class, () -> read(webSocket("$request.header.kind", "route.request.querystring.token")));
        assertEquals("Ws", header.logicalId());
        assertEquals("Properties.RouteSelectionExpression", header.path());
        var context = assertThrows(Intrinsics.Unresolvable.class, () -> read(webSocket("$request.body.action", "context.requestId")));
        assertEquals("Connect", context.logicalId());
        assertEquals("Properties.IdentitySource", context.path());
    }
}
