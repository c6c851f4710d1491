package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glint.local.http.JdkHttpServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SES v2 API's {@code SendEmail} as the local stack answers it: REST JSON at
 * {@code POST /v2/email/outbound-emails} (SigV4 not checked, like the other local services). A Raw
 * message is written as it is, one {@code .eml} file per message, under the mail folder; Simple and
 * Template content are refused (Glint sends Raw only). Everything else is 404.
 */
final class LocalSesServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSesServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SEND_EMAIL = "/v2/email/outbound-emails";
    /** SES's own limit on a message, encoded. */
    static final int MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

    private final HttpServer server;
    private final Path mailDir;
    private final AtomicLong sent = new AtomicLong();

    private LocalSesServer(HttpServer server, Path mailDir) {
        this.server = server;
        this.mailDir = mailDir;
    }

    static LocalSesServer start(Path mailDir) throws IOException {
        Files.createDirectories(mailDir);
        HttpServer server = JdkHttpServers.loopback(0, 16);
        LocalSesServer ses = new LocalSesServer(server, mailDir);
        server.createContext("/", ses::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "local-ses");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return ses;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Path mailDir() {
        return mailDir;
    }

    /** SendEmail calls answered with a message id since start. */
    long sent() {
        return sent.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!SEND_EMAIL.equals(path)) {
                error(exchange, 404, "NotFoundException", "The local SES answers SendEmail (POST " + SEND_EMAIL + ") only.");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "BadRequestException", "SendEmail is POST " + SEND_EMAIL + ".");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_MESSAGE_BYTES + 1);
            if (body.length > MAX_MESSAGE_BYTES) {
                error(exchange, 400, "MessageRejected", "The message is larger than SES accepts.");
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (IOException e) {
                error(exchange, 400, "BadRequestException", "The body is not JSON.");
                return;
            }
            JsonNode raw = request == null ? null : request.path("Content").path("Raw").get("Data");
            List<String> to = new ArrayList<>();
            request.path("Destination").path("ToAddresses").forEach(address -> to.add(address.asText()));
            if (raw == null || !raw.isTextual()) {
                error(exchange, 400, "BadRequestException", "Content.Raw.Data is required (the local SES takes Raw messages only).");
                return;
            }
            if (to.isEmpty() || !request.path("FromEmailAddress").isTextual()) {
                error(exchange, 400, "BadRequestException", "FromEmailAddress and Destination.ToAddresses are required.");
                return;
            }
            byte[] message;
            try {
                message = Base64.getDecoder().decode(raw.asText());
            } catch (IllegalArgumentException e) {
                error(exchange, 400, "BadRequestException", "Content.Raw.Data is not base64.");
                return;
            }
            String messageId = String.format("%013d-%s", System.currentTimeMillis(), UUID.randomUUID());
            // The envelope in an X- header the file's reader sees first; the message itself unchanged after it.
            byte[] envelope = ("X-Glint-Local-Envelope: from=" + request.path("FromEmailAddress").asText()
                    + "; to=" + String.join(",", to) + "\r\n").getBytes(StandardCharsets.UTF_8);
            Path file = mailDir.resolve(messageId + ".eml");
            Path partial = mailDir.resolve(messageId + ".eml.part");
            Files.write(partial, concat(envelope, message));
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            sent.incrementAndGet();
            LOG.info("local SES: message {} to {} written to {}", messageId, to, file);
            send(exchange, 200, JSON.writeValueAsBytes(Map.of("MessageId", messageId)), Map.of());
        } catch (RuntimeException e) {
            LOG.error("local SES failed", e);
            error(exchange, 500, "InternalFailure", "The local SES failed; see its log.");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** REST JSON errors as SES v2 gives them: the type in {@code x-amzn-ErrorType}, a message in the body. */
    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        send(exchange, status, JSON.writeValueAsBytes(Map.of("message", message)), Map.of("x-amzn-ErrorType", type));
    }

    private static void send(HttpExchange exchange, int status, byte[] body, Map<String, String> headers) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
