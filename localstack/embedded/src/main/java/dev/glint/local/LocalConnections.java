package dev.glint.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glint.local.http.JdkHttpServers;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local WebSocket API's open connections, and its management API: {@code POST}, {@code GET} and
 * {@code DELETE /@connections/{connectionId}} over HTTP, as API Gateway answers them at
 * {@code https://<api>.execute-api.<region>.amazonaws.com/<stage>}: 200 when a message was handed to
 * the connection, 410 ({@code GoneException}) for a connection that is not open, 413 for a message
 * over 128 KB, 204 for a delete (which closes the connection, and so runs {@code $disconnect}). The
 * publishers are configured with {@link #endpoint()}, so they post through the SDK's
 * {@code ApiGatewayManagementApiClient} here exactly as deployed. Requests are not authenticated locally.
 */
final class LocalConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalConnections.class);
    /** API Gateway's limit on a message posted to a connection. */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    private static final String PATH = "/@connections/";

    /** One open connection. */
    record Open(String connectionId, WebSocket socket, String userId, String sourceIp, Instant connectedAt) {
    }

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final String stage;
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();

    LocalConnections(String stage) throws IOException {
        this(stage, 0);
    }

    /** @param port where to answer; 0 for any free port (template mode picks it first: the functions' environment names it) */
    LocalConnections(String stage, int port) throws IOException {
        this.stage = stage;
        this.server = JdkHttpServers.loopback(port, 128);
        this.server.setExecutor(Executors.newFixedThreadPool(8, LocalGateway.daemon("glint-connections")));
        this.server.createContext("/", this::serve);
        this.server.start();
    }

    /** Where the publishers post: the stage's management endpoint. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage);
    }

    void opened(Open connection) {
        open.put(connection.connectionId(), connection);
    }

    void closed(String connectionId) {
        open.remove(connectionId);
    }

    boolean isOpen(String connectionId) {
        return open.containsKey(connectionId);
    }

    int openCount() {
        return open.size();
    }

    /** Messages handed to connections, and posts answered 410, since the start. */
    long posted() {
        return posted.get();
    }

    long gone() {
        return gone.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int at = path.indexOf(PATH);
            if (at < 0 || !path.substring(0, at).equals("/" + stage) || at + PATH.length() >= path.length()) {
                send(exchange, 404, null, "{\"message\":\"Not Found\"}");
                return;
            }
            String connectionId = path.substring(at + PATH.length());
            Open connection = open.get(connectionId);
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (connection == null) {
                gone.incrementAndGet();
                send(exchange, 410, "GoneException", "{\"message\":null}");
                return;
            }
            switch (method) {
                case "POST" -> {
                    if (body.length > MAX_MESSAGE_BYTES) {
                        send(exchange, 413, "PayloadTooLargeException", "{\"message\":\"Message too long\"}");
                        return;
                    }
                    try {
                        connection.socket().send(new String(body, StandardCharsets.UTF_8));
                        posted.incrementAndGet();
                        send(exchange, 200, null, null);
                    } catch (WebsocketNotConnectedException e) {
                        open.remove(connectionId);
                        gone.incrementAndGet();
                        send(exchange, 410, "GoneException", "{\"message\":null}");
                    }
                }
                case "GET" -> {
                    Map<String, Object> identity = new LinkedHashMap<>();
                    identity.put("sourceIp", connection.sourceIp());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("connectedAt", connection.connectedAt().toString());
                    out.put("identity", identity);
                    out.put("lastActiveAt", connection.connectedAt().toString());
                    send(exchange, 200, null, dev.glint.shared.json.Json.write(out));
                }
                case "DELETE" -> {
                    connection.socket().close(1000, "Going away");
                    send(exchange, 204, null, null);
                }
                default -> send(exchange, 404, null, "{\"message\":\"Not Found\"}");
            }
        } catch (RuntimeException e) {
            LOG.error("management API request failed", e);
            throw e;
        }
    }

    private static void send(HttpExchange exchange, int status, String errorType, String body) throws IOException {
        if (errorType != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
