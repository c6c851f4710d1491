package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A test's connection to a WebSocket API (the local stack's or a template's): what it received, in order, as JSON. */
final class SocketClient implements WebSocket.Listener, AutoCloseable {

    final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Duration delivery;
    WebSocket socket;

    private SocketClient(Duration delivery) {
        this.delivery = delivery;
    }

    /** Connects with the token as the {@code token} query parameter; {@code delivery} bounds each wait for a message. */
    static SocketClient connect(URI endpoint, String token, Duration delivery) throws Exception {
        SocketClient client = new SocketClient(delivery);
        URI uri = URI.create(endpoint + "?token=" + token);
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(ApiClient.JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a subscribe and returns the answer. */
    JsonNode subscribe(String... topics) throws Exception {
        send(ApiClient.JSON.writeValueAsString(Map.of("action", "subscribe", "topics", List.of(topics))));
        return next();
    }

    JsonNode next() throws InterruptedException {
        return next(delivery);
    }

    JsonNode next(Duration within) throws InterruptedException {
        JsonNode message = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(message, "no message within " + within);
        return message;
    }

    /** The first message that matches within the time; others before it are skipped and returned in {@code skipped}. */
    JsonNode await(Predicate<JsonNode> wanted, Duration within, List<JsonNode> skipped) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode message = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no matching message within " + within + "; got " + skipped);
            }
            if (wanted.test(message)) {
                return message;
            }
            skipped.add(message);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}
