package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dev stage's WebSocket API served from its synthesized template: the socket is at the stage's path,
 * its {@code $connect} runs the template's REQUEST authorizer (the realtime-authorizer function, its
 * issuer and audience from the template) and the publishers post through the stage's callback URL,
 * which resolves to the local management endpoint.
 */
class TemplateRealtimeIT {

    private static final Duration DELIVERY = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(1500);

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withTemplate(DevTemplate.configured()));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    @Test
    void theSocketIsTheTemplatesStageAndItsPublishersPostToTheLocalManagementEndpoint() {
        assertTrue(stack.iamLedger().isPresent(), "the stack runs in template mode");
        URI socket = stack.webSocketEndpoint();
        assertEquals("ws", socket.getScheme());
        assertEquals("127.0.0.1", socket.getHost());
        assertEquals("/live", socket.getPath(), "the stage of the template's WebSocket API");
        assertEquals("/live", stack.connections().endpoint().getPath());
    }

    @Test
    void aSubscriberGetsALikeOnTheirPostAndAFollowersPostWhileAnUnsubscribedConnectionGetsNothing() throws Exception {
        String author = api.newUser("tauthor");
        String fan = api.newUser("tfan");
        String friend = api.newUser("tfriend");
        String idle = api.newUser("tidle");
        assertEquals(200, api.send("POST", "/v1/users/" + friend + "/follow", author, null, null).status());
        String postId = api.readyPost(author, "");
        long postedBefore = stack.connections().posted();
        try (SocketClient subscriber = SocketClient.connect(stack.webSocketEndpoint(), api.token(author), DELIVERY);
             SocketClient unsubscribed = SocketClient.connect(stack.webSocketEndpoint(), api.token(idle), DELIVERY)) {
            JsonNode answer = subscriber.subscribe("notifications", "feed");
            assertEquals("[\"feed\",\"notifications\"]", sorted(answer.path("subscribed")), answer.toString());

            assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null).status());
            JsonNode notification = subscriber.next();
            assertEquals("notifications", notification.path("topic").asText(), notification.toString());
            assertEquals("like", notification.path("event").path("kind").asText());
            assertEquals(postId, notification.path("event").path("postId").asText());
            assertEquals(LocalJwtIssuer.subjectOf(fan), notification.path("event").path("actor").path("id").asText());

            // The fan-out worker's nudge: a post of someone the subscriber follows.
            String friendsPost = api.readyPost(friend, "");
            List<JsonNode> seen = new ArrayList<>();
            JsonNode nudge;
            do {
                nudge = subscriber.next();
                seen.add(nudge);
            } while (!nudge.path("topic").asText().equals("feed"));
            assertEquals(friendsPost, nudge.path("event").path("postId").asText(), seen.toString());

            Thread.sleep(QUIET.toMillis());
            assertEquals(List.of(), new ArrayList<>(unsubscribed.received), "not subscribed: nothing");
        }
        assertTrue(stack.connections().posted() >= postedBefore + 2, "both publishers posted through the local management endpoint");
        var ledger = stack.iamLedger().orElseThrow();
        @SuppressWarnings("unchecked")
        var publisherCalls = ((Map<String, Object>) ((Map<String, Object>) ledger.report()
                .get(GlintResources.STREAM_PROCESSOR_FUNCTION.name())).get("calls")).keySet();
        assertTrue(publisherCalls.stream().anyMatch(c -> c.startsWith("execute-api:ManageConnections ")),
                "the posts to connections are checked against the publisher's role: " + publisherCalls);
        for (String function : List.of(GlintResources.REALTIME_FUNCTION.name(), GlintResources.STREAM_PROCESSOR_FUNCTION.name(),
                GlintResources.FANOUT_WORKER_FUNCTION.name())) {
            assertEquals(Map.of(), ledger.deniedCalls(function), function + " was denied nothing");
        }
    }

    @Test
    void aConnectionWithoutAValidTokenIsRefusedByTheTemplatesAuthorizer() throws Exception {
        // Another test's connections may still be closing: count once the number holds still.
        int before = settledOpenCount();
        String good = api.token(api.newUser("tx"));
        for (String token : List.of("", "not-a-token", good + "tampered", good.substring(0, good.lastIndexOf('.') + 1))) {
            var failure = assertThrows(ExecutionException.class, () -> SocketClient.connect(stack.webSocketEndpoint(), token, DELIVERY));
            assertInstanceOf(java.net.http.WebSocketHandshakeException.class, failure.getCause(), token);
        }
        var noToken = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(stack.webSocketEndpoint(), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
        assertInstanceOf(java.net.http.WebSocketHandshakeException.class, noToken.getCause(), "no identity source");
        assertEquals(before, settledOpenCount(), "no refused attempt left a connection");
        try (SocketClient ok = SocketClient.connect(stack.webSocketEndpoint(), good, DELIVERY)) {
            // The gateway records the connection as its handshake completes, a moment after the client sees it.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (stack.connections().openCount() != before + 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(before + 1, stack.connections().openCount(), "the same user's real token connects");
        }
    }

    /** The gateway's open connections, once the count has not changed for 300 ms (at most 5 s). */
    private static int settledOpenCount() throws InterruptedException {
        int last = stack.connections().openCount();
        long stableSince = System.nanoTime();
        long deadline = stableSince + 5_000_000_000L;
        while (System.nanoTime() - stableSince < 300_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(20);
            int now = stack.connections().openCount();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    private static String sorted(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        values.sort(null);
        return ApiClient.JSON.valueToTree(values).toString();
    }
}
