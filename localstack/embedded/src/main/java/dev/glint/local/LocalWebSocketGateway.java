package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.json.Json;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The local WebSocket API: a real RFC 6455 server (Java-WebSocket) that plays API Gateway's WebSocket
 * API as an {@link Api} describes it (the default mode's at {@code ws://127.0.0.1:<port>/ws}; template
 * mode's read from the template, at {@code ws://127.0.0.1:<port>/<stage>}):
 * <ul>
 *   <li>the upgrade request is the {@code $connect} route: a missing identity source refuses it; the
 *       REQUEST authorizer, if the route has one, is invoked with API Gateway's event (headers,
 *       {@code queryStringParameters} with the {@code token}, {@code methodArn}), and a {@code Deny} or an
 *       error refuses the connection; then the route's integration, whose answer other than 2xx refuses
 *       it too. The authorizer's context rides on every later event of the connection, as API
 *       Gateway's {@code requestContext.authorizer};</li>
 *   <li>a text message is routed by the route selection expression ({@code $request.body.action}: a
 *       route by that name, else {@code $default}); the integration's response body is sent back down
 *       the connection when the route has a route response (a two-way route);</li>
 *   <li>a closed connection is the {@code $disconnect} route.</li>
 * </ul>
 * Connection ids look like API Gateway's (16 characters of base64). What differs: a refused
 * upgrade is answered 404 by the library rather than API Gateway's 401/403; the 10-minute idle and
 * 2-hour limits are not applied.
 */
final class LocalWebSocketGateway extends WebSocketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalWebSocketGateway.class);
    static final String PATH = "/ws";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A Lambda integration: the function's name (for its context) and its handler. */
    record Integration(String function, RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> handler) {
    }

    /**
     * The {@code $connect} route's REQUEST authorizer.
     *
     * @param identitySources API Gateway's {@code route.request.querystring.NAME} / {@code route.request.header.NAME}:
     *                        a connection without one of them is refused before the authorizer runs
     */
    record Authorizer(String function, RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> handler,
                      List<String> identitySources) {
    }

    /**
     * What the gateway serves.
     *
     * @param path           where clients connect ({@code /ws}, or {@code /<stage>})
     * @param selectionField the body field of the route selection expression {@code $request.body.<field>}
     * @param routes         each route key's integration ({@code $connect}, {@code $disconnect}, {@code $default} and custom keys)
     * @param twoWay         the routes with a route response: their integration's answer goes back to the client
     * @param authorizer     the {@code $connect} route's authorizer; null when it has none
     */
    record Api(String apiId, String stage, String path, String selectionField, Map<String, Integration> routes,
               Set<String> twoWay, Authorizer authorizer) {
    }

    private final Api api;
    private final LocalConnections connections;
    private final String stage;
    private final CountDownLatch started = new CountDownLatch(1);

    /** What the gateway keeps of a connection between its events. */
    private static final class Session {
        final String connectionId;
        final Map<String, Object> authorizer;
        final String sourceIp;
        final Instant connectedAt = Instant.now();
        volatile boolean open;

        Session(String connectionId, Map<String, Object> authorizer, String sourceIp) {
            this.connectionId = connectionId;
            this.authorizer = authorizer;
            this.sourceIp = sourceIp;
        }
    }

    private LocalWebSocketGateway(Api api, LocalConnections connections, int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        this.api = api;
        this.connections = connections;
        this.stage = api.stage();
        setReuseAddr(true);
        setDaemon(true);
    }

    /** The default mode's API: every route to the {@code realtime} function, {@code subscribe} and {@code $default} two-way. */
    static Api defaultApi(RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer,
                          RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function, String stage) {
        Integration realtime = new Integration("realtime", function);
        return new Api("local", stage, PATH, "action", Map.of("$connect", realtime, "$disconnect", realtime, "$default", realtime,
                "subscribe", realtime), Set.of("$default", "subscribe"),
                new Authorizer("realtime-authorizer", authorizer, List.of("route.request.querystring.token")));
    }

    static LocalWebSocketGateway start(RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer,
                                       RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function,
                                       LocalConnections connections, String stage) throws InterruptedException {
        return start(defaultApi(authorizer, function, stage), connections, 0);
    }

    /** @param port 0 for any free one */
    static LocalWebSocketGateway start(Api api, LocalConnections connections, int port) throws InterruptedException {
        LocalWebSocketGateway gateway = new LocalWebSocketGateway(api, connections, port);
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the local WebSocket API did not start within 10 s");
        }
        return gateway;
    }

    URI endpoint() {
        return URI.create("ws://127.0.0.1:" + getPort() + api.path());
    }

    @Override
    public void onStart() {
        setConnectionLostTimeout(60);
        started.countDown();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        URI target = URI.create(request.getResourceDescriptor());
        if (!api.path().equals(target.getPath())) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no WebSocket API at " + target.getPath());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<String> names = request.iterateHttpFields(); names.hasNext(); ) {
            String name = names.next();
            headers.put(name, request.getFieldValue(name));
        }
        Map<String, String> query = query(target.getRawQuery());
        String connectionId = newConnectionId();
        String sourceIp = conn.getRemoteSocketAddress() == null ? "127.0.0.1"
                : conn.getRemoteSocketAddress().getAddress().getHostAddress();

        APIGatewayCustomAuthorizerEvent authorize = new APIGatewayCustomAuthorizerEvent();
        authorize.setType("REQUEST");
        authorize.setMethodArn("arn:aws:execute-api:" + LocalContext.REGION + ":" + LocalContext.ACCOUNT + ":" + api.apiId()
                + "/" + stage + "/$connect");
        authorize.setHeaders(headers);
        authorize.setQueryStringParameters(query);
        authorize.setStageVariables(Map.of());
        Map<String, Object> context = new LinkedHashMap<>();
        Authorizer authorizer = api.authorizer();
        if (authorizer != null) {
            if (!hasIdentity(authorizer.identitySources(), headers, query)) {
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Unauthorized");
            }
            IamPolicyResponseV1 policy;
            try {
                policy = authorizer.handler().handleRequest(authorize, LocalContext.forInvocation(authorizer.function(), 10_000));
            } catch (RuntimeException e) {
                LOG.error("the WebSocket authorizer failed; connection refused", e);
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Internal server error");
            }
            if (!allows(policy)) {
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Forbidden");
            }
            context.put("principalId", policy.getPrincipalId());
            if (policy.getContext() != null) {
                context.putAll(policy.getContext());
            }
        }
        Session session = new Session(connectionId, context, sourceIp);
        if (api.routes().containsKey("$connect")) {
            APIGatewayV2WebSocketEvent connect = event(session, "$connect", "CONNECT");
            connect.setHeaders(headers);
            connect.setQueryStringParameters(query.isEmpty() ? null : query);
            APIGatewayV2WebSocketResponse answer = invoke(connect);
            if (answer == null || answer.getStatusCode() < 200 || answer.getStatusCode() > 299) {
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Forbidden");
            }
        }
        conn.setAttachment(session);
        return response;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Session session = conn.getAttachment();
        session.open = true;
        connections.opened(new LocalConnections.Open(session.connectionId, conn,
                String.valueOf(session.authorizer.get("userId")), session.sourceIp, session.connectedAt));
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Session session = conn.getAttachment();
        if (session == null || !session.open) {
            return;
        }
        String route = "$default";
        try {
            JsonNode body = Json.readTree(message);
            JsonNode action = body.path(api.selectionField());
            if (action.isTextual() && !action.textValue().startsWith("$") && api.routes().containsKey(action.textValue())) {
                route = action.textValue();
            }
        } catch (Exception e) {
            // not JSON: the selection expression selects nothing, so $default
        }
        APIGatewayV2WebSocketEvent event = event(session, route, "MESSAGE");
        event.setBody(message);
        message(conn, session, event);
    }

    /** Runs the message's route; with no route for it (no {@code $default} either), API Gateway's answer. */
    private void message(WebSocket conn, Session session, APIGatewayV2WebSocketEvent event) {
        String route = event.getRequestContext().getRouteKey();
        if (!api.routes().containsKey(route)) {
            if (conn.isOpen()) {
                Map<String, Object> refused = new LinkedHashMap<>();
                refused.put("message", "Forbidden");
                refused.put("connectionId", session.connectionId);
                refused.put("requestId", event.getRequestContext().getRequestId());
                conn.send(Json.write(refused));
            }
            return;
        }
        APIGatewayV2WebSocketResponse response = invoke(event);
        if (api.twoWay().contains(route)) {
            reply(conn, response);
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        Session session = conn.getAttachment();
        if (session == null || !session.open) {
            return;
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        APIGatewayV2WebSocketEvent event = event(session, "$default", "MESSAGE");
        event.setBody(Base64.getEncoder().encodeToString(bytes));
        event.setIsBase64Encoded(true);
        message(conn, session, event);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Session session = conn.getAttachment();
        if (session == null || !session.open) {
            return;
        }
        session.open = false;
        connections.closed(session.connectionId);
        if (api.routes().containsKey("$disconnect")) {
            invoke(event(session, "$disconnect", "DISCONNECT"));
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        LOG.warn("WebSocket connection error", ex);
    }

    private void reply(WebSocket conn, APIGatewayV2WebSocketResponse response) {
        if (response != null && response.getBody() != null && conn.isOpen()) {
            conn.send(response.getBody());
        }
    }

    private APIGatewayV2WebSocketResponse invoke(APIGatewayV2WebSocketEvent event) {
        Integration integration = api.routes().get(event.getRequestContext().getRouteKey());
        try {
            return integration.handler().handleRequest(event, LocalContext.forInvocation(integration.function(), 10_000));
        } catch (RuntimeException e) {
            LOG.error("the {} function failed on {}", integration.function(), event.getRequestContext().getRouteKey(), e);
            return null;
        }
    }

    /** Whether every identity source is present and not empty, as API Gateway checks before it calls the authorizer. */
    private static boolean hasIdentity(List<String> sources, Map<String, String> headers, Map<String, String> query) {
        for (String source : sources) {
            String value = null;
            if (source.startsWith("route.request.querystring.")) {
                value = query.get(source.substring("route.request.querystring.".length()));
            } else if (source.startsWith("route.request.header.")) {
                String name = source.substring("route.request.header.".length());
                value = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
            }
            if (value == null || value.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private APIGatewayV2WebSocketEvent event(Session session, String route, String type) {
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        long now = System.currentTimeMillis();
        context.setRouteKey(route);
        context.setEventType(type);
        context.setConnectionId(session.connectionId);
        context.setRequestId(newConnectionId());
        context.setStage(stage);
        context.setApiId(api.apiId());
        context.setDomainName("127.0.0.1");
        context.setMessageDirection("IN");
        context.setConnectedAt(session.connectedAt.toEpochMilli());
        context.setRequestTimeEpoch(now);
        context.setAuthorizer(new LinkedHashMap<>(session.authorizer));
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(context);
        return event;
    }

    @SuppressWarnings("unchecked")
    private static boolean allows(IamPolicyResponseV1 policy) {
        if (policy == null || policy.getPolicyDocument() == null) {
            return false;
        }
        Object statements = policy.getPolicyDocument().get("Statement");
        List<Object> all = statements instanceof Object[] array ? List.of(array)
                : statements instanceof List<?> list ? (List<Object>) list : List.of();
        boolean allow = false;
        for (Object statement : all) {
            if (statement instanceof Map<?, ?> map) {
                if ("Deny".equals(map.get("Effect"))) {
                    return false;
                }
                allow |= "Allow".equals(map.get("Effect"));
            }
        }
        return allow;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    /** 11 random bytes in base64, as API Gateway's ids look ({@code PT9hWdLjoAMCKPw=}), without {@code +} or {@code /}. */
    static String newConnectionId() {
        while (true) {
            byte[] bytes = new byte[11];
            RANDOM.nextBytes(bytes);
            String id = Base64.getEncoder().encodeToString(bytes);
            if (id.indexOf('+') < 0 && id.indexOf('/') < 0) {
                return id;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(1000);
    }
}
