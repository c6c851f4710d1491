package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.glint.lambda.EventJson.stringList;
import static dev.glint.lambda.EventJson.strings;
import static dev.glint.lambda.EventJson.text;

/** Reads an HTTP API (payload 2.0) event and writes its response, for the api's stream entry point. */
final class HttpEvents {

    private HttpEvents() {
    }

    static APIGatewayV2HTTPEvent read(InputStream in) throws IOException {
        JsonNode node = EventJson.read(in);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion(text(node, "version"));
        event.setRouteKey(text(node, "routeKey"));
        event.setRawPath(text(node, "rawPath"));
        event.setRawQueryString(text(node, "rawQueryString"));
        event.setCookies(stringList(node, "cookies"));
        event.setHeaders(strings(node, "headers"));
        event.setQueryStringParameters(strings(node, "queryStringParameters"));
        event.setPathParameters(strings(node, "pathParameters"));
        event.setStageVariables(strings(node, "stageVariables"));
        event.setBody(text(node, "body"));
        event.setIsBase64Encoded(node.path("isBase64Encoded").asBoolean(false));
        JsonNode context = node.get("requestContext");
        if (context != null && context.isObject()) {
            event.setRequestContext(context(context));
        }
        return event;
    }

    private static APIGatewayV2HTTPEvent.RequestContext context(JsonNode node) {
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setRouteKey(text(node, "routeKey"));
        context.setAccountId(text(node, "accountId"));
        context.setStage(text(node, "stage"));
        context.setApiId(text(node, "apiId"));
        context.setDomainName(text(node, "domainName"));
        context.setDomainPrefix(text(node, "domainPrefix"));
        context.setTime(text(node, "time"));
        context.setTimeEpoch(node.path("timeEpoch").asLong(0));
        context.setRequestId(text(node, "requestId"));
        JsonNode http = node.get("http");
        if (http != null && http.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.Http out = new APIGatewayV2HTTPEvent.RequestContext.Http();
            out.setMethod(text(http, "method"));
            out.setPath(text(http, "path"));
            out.setProtocol(text(http, "protocol"));
            out.setSourceIp(text(http, "sourceIp"));
            out.setUserAgent(text(http, "userAgent"));
            context.setHttp(out);
        }
        JsonNode authorizer = node.get("authorizer");
        if (authorizer != null && authorizer.isObject()) {
            context.setAuthorizer(authorizer(authorizer));
        }
        return context;
    }

    private static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(JsonNode node) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        JsonNode jwt = node.get("jwt");
        if (jwt != null && jwt.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT out = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
            out.setClaims(strings(jwt, "claims"));
            out.setScopes(stringList(jwt, "scopes"));
            authorizer.setJwt(out);
        }
        JsonNode lambda = node.get("lambda");
        if (lambda != null && lambda.isObject()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) plain(lambda);
            authorizer.setLambda(values);
        }
        JsonNode iam = node.get("iam");
        if (iam != null && iam.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.IAM out = new APIGatewayV2HTTPEvent.RequestContext.IAM();
            out.setAccessKey(text(iam, "accessKey"));
            out.setAccountId(text(iam, "accountId"));
            out.setCallerId(text(iam, "callerId"));
            out.setPrincipalOrgId(text(iam, "principalOrgId"));
            out.setUserArn(text(iam, "userArn"));
            out.setUserId(text(iam, "userId"));
            JsonNode cognito = iam.get("cognitoIdentity");
            if (cognito != null && cognito.isObject()) {
                APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity identity = new APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity();
                identity.setAmr(stringList(cognito, "amr"));
                identity.setIdentityId(text(cognito, "identityId"));
                identity.setIdentityPoolId(text(cognito, "identityPoolId"));
                out.setCognitoIdentity(identity);
            }
            authorizer.setIam(out);
        }
        return authorizer;
    }

    /** A tree as plain values (maps, lists, strings, numbers, booleans, null), as a Lambda authorizer's context arrives. */
    private static Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.put(field.getKey(), plain(field.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(item -> out.add(plain(item)));
            return out;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", response.getStatusCode());
        if (response.getHeaders() != null) {
            body.put("headers", response.getHeaders());
        }
        if (response.getMultiValueHeaders() != null) {
            body.put("multiValueHeaders", response.getMultiValueHeaders());
        }
        if (response.getCookies() != null) {
            body.put("cookies", response.getCookies());
        }
        if (response.getBody() != null) {
            body.put("body", response.getBody());
        }
        body.put("isBase64Encoded", response.getIsBase64Encoded());
        EventJson.write(body, out);
    }
}
