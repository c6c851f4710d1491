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
 * The local WebSocket API, at {@code ws://127.0.0.1:<port>/ws}: a real RFC 6455 server (Java-WebSocket)
 * that plays API Gateway's WebSocket API in front of the {@code realtime} function:
 * <ul>
 *   <li>the upgrade request is the {@code $connect} route: the REQUEST authorizer is invoked with API
 *       Gateway's event (headers, {@code queryStringParameters} with the {@code token}, {@code methodArn}),
 *       and a {@code Deny} or an error refuses the connection; then the function's {@code $connect}, whose
 *       answer other than 2xx refuses it too. The authorizer's context rides on every later event of
 *       the connection, as API Gateway's {@code requestContext.authorizer};</li>
 *   <li>a text message is routed by {@code $request.body.action} ({@code subscribe}, else {@code $default});
 *       the route's response body is sent back down the connection (a two-way route);</li>
 *   <li>a closed connection is the {@code $disconnect} route.</li>
 * </ul>
 * Connection ids look like API Gateway's (16 characters of base64). What differs: a refused
 * upgrade is answered 404 by the library rather than API Gateway's 401/403; the 10-minute idle and
 * 2-hour limits are not applied.
 */
final class LocalWebSocketGateway extends WebSocketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalWebSocketGateway.class);
    static final String PATH = "/ws";
    /** The routes the API declares besides {@code $connect}, {@code $disconnect} and {@code $default}. */
    static final Set<String> ROUTES = Set.of("subscribe");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;
    private final RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function;
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

    private LocalWebSocketGateway(RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer,
                                  RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function,
                                  LocalConnections connections, String stage) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.authorizer = authorizer;
        this.function = function;
        this.connections = connections;
        this.stage = stage;
        setReuseAddr(true);
        setDaemon(true);
    }

    static LocalWebSocketGateway start(RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer,
                                       RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> function,
                                       LocalConnections connections, String stage) throws InterruptedException {
        LocalWebSocketGateway gateway = new LocalWebSocketGateway(authorizer, function, connections, stage);
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the local WebSocket API did not start within 10 s");
        }
        return gateway;
    }

    URI endpoint() {
        return URI.create("ws://127.0.0.1:" + getPort() + PATH);
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
        if (!PATH.equals(target.getPath())) {
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
        authorize.setMethodArn("arn:aws:execute-api:" + LocalContext.REGION + ":" + LocalContext.ACCOUNT + ":local/" + stage + "/$connect");
        authorize.setHeaders(headers);
        authorize.setQueryStringParameters(query);
        authorize.setStageVariables(Map.of());
        IamPolicyResponseV1 policy;
        try {
            policy = authorizer.handleRequest(authorize, LocalContext.forInvocation("realtime-authorizer", 10_000));
        } catch (RuntimeException e) {
            LOG.error("the WebSocket authorizer failed; connection refused", e);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Internal server error");
        }
        if (!allows(policy)) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Forbidden");
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("principalId", policy.getPrincipalId());
        if (policy.getContext() != null) {
            context.putAll(policy.getContext());
        }
        Session session = new Session(connectionId, context, sourceIp);
        APIGatewayV2WebSocketEvent connect = event(session, "$connect", "CONNECT");
        connect.setHeaders(headers);
        connect.setQueryStringParameters(query.isEmpty() ? null : query);
        APIGatewayV2WebSocketResponse answer = invoke(connect);
        if (answer == null || answer.getStatusCode() < 200 || answer.getStatusCode() > 299) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Forbidden");
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
            JsonNode action = body.path("action");
            if (action.isTextual() && ROUTES.contains(action.textValue())) {
                route = action.textValue();
            }
        } catch (Exception e) {
            // not JSON: $request.body.action selects nothing, so $default
        }
        APIGatewayV2WebSocketEvent event = event(session, route, "MESSAGE");
        event.setBody(message);
        reply(conn, invoke(event));
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
        reply(conn, invoke(event));
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Session session = conn.getAttachment();
        if (session == null || !session.open) {
            return;
        }
        session.open = false;
        connections.closed(session.connectionId);
        invoke(event(session, "$disconnect", "DISCONNECT"));
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
        try {
            return function.handleRequest(event, LocalContext.forInvocation("realtime", 10_000));
        } catch (RuntimeException e) {
            LOG.error("the realtime function failed on {}", event.getRequestContext().getRouteKey(), e);
            return null;
        }
    }

    private APIGatewayV2WebSocketEvent event(Session session, String route, String type) {
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        long now = System.currentTimeMillis();
        context.setRouteKey(route);
        context.setEventType(type);
        context.setConnectionId(session.connectionId);
        context.setRequestId(newConnectionId());
        context.setStage(stage);
        context.setApiId("local");
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
