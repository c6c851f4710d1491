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
                Optional.empty(), id -> "secret");
    }

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
}
