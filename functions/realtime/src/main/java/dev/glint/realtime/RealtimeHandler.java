package dev.glint.realtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;
import dev.glint.shared.realtime.Subscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket API's routes. {@code $connect} (after the authorizer let the user in) records the
 * connection; {@code subscribe} ({@code {"action":"subscribe","topics":[...]}}, routed by
 * {@code $request.body.action}) adds topics the user may read and answers
 * {@code {"subscribed":[...]}}, or {@code {"error":{"code","message"}}} and subscribes nothing;
 * {@code $default} (any other message) answers an error; {@code $disconnect} removes the connection.
 * The answers are the route's response, which API Gateway sends down the connection: this function
 * needs no permission to post to connections.
 */
public final class RealtimeHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeHandler.class);
    public static final String CONNECT = "$connect";
    public static final String DISCONNECT = "$disconnect";
    public static final String SUBSCRIBE = "subscribe";
    public static final String DEFAULT = "$default";
    /** A subscribe message is small; API Gateway takes frames up to 32 KB, this function reads 8 KB. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;

    private final Subscriptions subscriptions;

    /** Lambda's: built from the environment. */
    public RealtimeHandler() {
        this(RealtimeComposition.fromEnvironment());
    }

    public RealtimeHandler(RealtimeComposition composition) {
        this.subscriptions = composition.subscriptions();
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        String route = request == null ? null : request.getRouteKey();
        String connectionId = request == null ? null : request.getConnectionId();
        String userId = userOf(request == null ? null : request.getAuthorizer());
        String requestId = request == null || request.getRequestId() == null ? "-" : request.getRequestId();
        if (route == null || connectionId == null) {
            return error(400, "invalid_request", "Not a WebSocket event.");
        }
        if (userId == null) {
            // Only a $connect the authorizer allowed has a user; every later route inherits it.
            LOG.warn("{} on connection {} without an authorized user (request {})", route, connectionId, requestId);
            return error(401, "unauthorized", "Connect with ?token=<your sign-in token>.");
        }
        try {
            return switch (route) {
                case CONNECT -> subscriptions.connect(connectionId, userId) instanceof Subscriptions.Refused refused
                        ? error(401, refused.code(), refused.message()) : ok(null);
                case DISCONNECT -> {
                    subscriptions.disconnect(connectionId, userId);
                    yield ok(null);
                }
                case SUBSCRIBE -> subscribe(connectionId, userId, event);
                default -> error(400, "unknown_action",
                        "Send {\"action\":\"subscribe\",\"topics\":[\"notifications\",\"feed\",\"post:<post id>\"]}.");
            };
        } catch (RuntimeException e) {
            LOG.error("{} failed on connection {} (request {})", route, connectionId, requestId, e);
            return error(500, "internal_error", "Something went wrong on our side (request " + requestId + "); try again.");
        }
    }

    private APIGatewayV2WebSocketResponse subscribe(String connectionId, String userId, APIGatewayV2WebSocketEvent event) {
        String body = event.getBody();
        if (body != null && event.isIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            return error(400, "invalid_request", "A subscribe message is JSON of at most " + MAX_MESSAGE_BYTES + " bytes.");
        }
        List<String> topics = new ArrayList<>();
        try {
            JsonNode message = Json.readTree(body);
            JsonNode list = message.path("topics");
            if (!list.isArray()) {
                return error(400, "invalid_request", "\"topics\" must be an array of topic names.");
            }
            for (JsonNode topic : list) {
                if (!topic.isTextual()) {
                    return error(400, "invalid_request", "\"topics\" must be an array of topic names.");
                }
                topics.add(topic.textValue());
            }
        } catch (JsonProcessingException e) {
            return error(400, "invalid_request", "The message is not valid JSON.");
        }
        Subscriptions.Outcome outcome = subscriptions.subscribe(connectionId, userId, topics);
        if (outcome instanceof Subscriptions.Refused refused) {
            return error(400, refused.code(), refused.message());
        }
        return ok(Json.write(Map.of("subscribed", ((Subscriptions.Subscribed) outcome).topics())));
    }

    /** The user the authorizer put in the connection's context ({@code userId}, else its principal). */
    static String userOf(Map<String, Object> authorizer) {
        if (authorizer == null) {
            return null;
        }
        Object user = authorizer.get("userId");
        if (user == null) {
            user = authorizer.get("principalId");
        }
        return user == null || user.toString().isBlank() ? null : user.toString();
    }

    private static APIGatewayV2WebSocketResponse ok(String body) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(200);
        response.setBody(body);
        return response;
    }

    static APIGatewayV2WebSocketResponse error(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        response.setBody(Json.write(Map.of("error", error)));
        return response;
    }
}
