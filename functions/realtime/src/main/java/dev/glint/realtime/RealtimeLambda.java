package dev.glint.realtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code realtime} function's Lambda entry point: reads the WebSocket event and writes the
 * route's response itself ({@link #event}, {@link #toJson}), without the runtime's serializer.
 */
public final class RealtimeLambda implements RequestStreamHandler {

    private final RealtimeHandler handler = new RealtimeHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventJson.write(toJson(handler.handleRequest(event(EventJson.read(input)), context)), output);
    }

    /** The fields of API Gateway's WebSocket event the handler reads. */
    public static APIGatewayV2WebSocketEvent event(JsonNode json) {
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setBody(EventJson.text(json, "body"));
        event.setIsBase64Encoded(json.path("isBase64Encoded").asBoolean(false));
        event.setQueryStringParameters(EventJson.strings(json, "queryStringParameters"));
        JsonNode context = json.path("requestContext");
        APIGatewayV2WebSocketEvent.RequestContext request = new APIGatewayV2WebSocketEvent.RequestContext();
        request.setRouteKey(EventJson.text(context, "routeKey"));
        request.setEventType(EventJson.text(context, "eventType"));
        request.setConnectionId(EventJson.text(context, "connectionId"));
        request.setRequestId(EventJson.text(context, "requestId"));
        request.setStage(EventJson.text(context, "stage"));
        request.setDomainName(EventJson.text(context, "domainName"));
        request.setApiId(EventJson.text(context, "apiId"));
        Map<String, String> authorizer = EventJson.strings(context, "authorizer");
        if (authorizer != null) {
            request.setAuthorizer(new LinkedHashMap<>(authorizer));
        }
        event.setRequestContext(request);
        return event;
    }

    public static Map<String, Object> toJson(APIGatewayV2WebSocketResponse response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", response.getStatusCode());
        if (response.getBody() != null) {
            out.put("body", response.getBody());
        }
        return out;
    }
}
