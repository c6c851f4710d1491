package dev.glint.local.iam;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glint.local.http.JdkHttpServers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Answers a call IAM denied the way the service itself would: status 403 with DynamoDB's and SQS's
 * JSON {@code AccessDeniedException} or S3's XML {@code AccessDenied}. {@link IamGuard} sends a denied
 * request here instead of to the emulator, so the SDK's own error handling runs (a 403 is not retried)
 * and nothing reaches the data.
 */
public final class DenyEndpoint implements AutoCloseable {

    static final String SERVICE_HEADER = "x-glint-denied-service";
    static final String MESSAGE_HEADER = "x-glint-denied-message";

    private final HttpServer server;
    private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();

    public DenyEndpoint() throws IOException {
        server = JdkHttpServers.loopback(0, 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "glint-iam-deny");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::answer);
        server.start();
    }

    /** How many denied requests reached it (one per denied call: the SDK does not retry a 403). */
    public long answered() {
        return answered.get();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            answered.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            String service = String.valueOf(exchange.getRequestHeaders().getFirst(SERVICE_HEADER));
            String message = String.valueOf(exchange.getRequestHeaders().getFirst(MESSAGE_HEADER));
            String requestId = UUID.randomUUID().toString();
            byte[] body;
            if (service.equals(AwsActions.SERVICE_S3)) {
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.getResponseHeaders().add("x-amz-request-id", requestId);
                body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
                        + xml(message) + "</Message><RequestId>" + requestId + "</RequestId></Error>")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
                if (service.equals(AwsActions.SERVICE_SQS)) {
                    // SQS's JSON protocol keeps its query-era code in this header.
                    exchange.getResponseHeaders().add("x-amzn-query-error", "AccessDenied;Sender");
                }
                if (service.equals(AwsActions.SERVICE_EXECUTE_API)) {
                    // The management API (REST JSON) names its error in this header: 403 ForbiddenException.
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "ForbiddenException");
                }
                body = ("{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"" + json(message) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
                exchange.sendResponseHeaders(403, -1);
            } else {
                exchange.sendResponseHeaders(403, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
