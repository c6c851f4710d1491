package dev.glint.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code realtime-authorizer} function's Lambda entry point: reads the REQUEST authorizer event
 * and writes the policy itself (as the other functions' entry points do, without the runtime's serializer).
 */
public final class AuthorizerLambda implements RequestStreamHandler {

    private final AuthorizerHandler handler = new AuthorizerHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode json = EventJson.read(input);
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType(EventJson.text(json, "type"));
        event.setMethodArn(EventJson.text(json, "methodArn"));
        event.setQueryStringParameters(EventJson.strings(json, "queryStringParameters"));
        event.setHeaders(EventJson.strings(json, "headers"));
        EventJson.write(toJson(handler.handleRequest(event, context)), output);
    }

    /** The response as API Gateway reads it: principalId, policyDocument, context. */
    static Map<String, Object> toJson(IamPolicyResponseV1 response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("principalId", response.getPrincipalId());
        out.put("policyDocument", response.getPolicyDocument());
        out.put("context", response.getContext());
        return out;
    }
}
