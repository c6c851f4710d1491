package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.aws.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realtime delivery end to end on the local stack, through the JDK's WebSocket client: the local
 * WebSocket API, its authorizer and the realtime function; likes through the HTTP API, the stream
 * processor and the fan-out worker posting through the management endpoint.
 */
class RealtimeIT {

    private static final int CELEBRITY_THRESHOLD = 3;
    private static final Duration DELIVERY = Duration.ofSeconds(2);
    private static final Duration QUIET = Duration.ofMillis(1500);

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withCelebrityThreshold(CELEBRITY_THRESHOLD));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static SocketClient connect(String user) throws Exception {
        return SocketClient.connect(stack.webSocketEndpoint(), api.token(user), DELIVERY);
    }

    /**
     * The web page's /config.json names this stack's socket and its managed login emulation, and a token
     * from that emulation's PKCE round trip (authorize, sign-in form, token endpoint) opens the socket.
     */
    @Test
    void thePageIsToldWhereThisStacksSocketAndSignInAreAndAManagedLoginTokenConnects() throws Exception {
        ApiClient.Reply config = api.get(null, "/config.json");
        assertEquals(200, config.status(), config.body());
        assertTrue(config.json().path("signIn").path("devIssuer").asBoolean());
        assertEquals(stack.webSocketEndpoint().toString(), config.json().path("realtimeUrl").asText());
        JsonNode managed = config.json().path("signIn").path("managed");
        assertEquals(stack.managedLoginEndpoint().toString(), managed.path("url").asText());

        String page = "http://127.0.0.1:" + stack.apiEndpoint().getPort() + "/";
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        Map<String, String> oauth = new java.util.LinkedHashMap<>(Map.of("response_type", "code", "client_id",
                managed.path("clientId").asText(), "redirect_uri", page, "state", "s1", "scope", "openid email profile",
                "code_challenge", LocalManagedLogin.s256(verifier), "code_challenge_method", "S256"));
        oauth.put("username", "mia");
        HttpClient http = HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> signedIn = http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create(managed.path("url").asText() + "/login")).header("content-type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form(oauth))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(302, signedIn.statusCode(), signedIn.body());
        String location = signedIn.headers().firstValue("location").orElseThrow();
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
        java.net.http.HttpResponse<String> tokens = http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create(managed.path("url").asText() + "/oauth2/token")).header("content-type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "client_id", managed.path("clientId").asText(), "redirect_uri", page, "code_verifier", verifier)))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode(), tokens.body());

        try (SocketClient client = SocketClient.connect(stack.webSocketEndpoint(), ApiClient.JSON.readTree(tokens.body()).path("id_token").asText(), DELIVERY)) {
            assertEquals(List.of("notifications"), List.of(ApiClient.JSON.convertValue(client.subscribe("notifications").path("subscribed"),
                    String[].class)));
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining("&"));
    }

    private static void follow(String follower, String followee) {
        assertEquals(200, api.send("POST", "/v1/users/" + followee + "/follow", follower, null, null).status());
    }

    private static void like(String user, String postId) {
        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", user, null, null).status());
    }

    private static String userId(String username) {
        return LocalJwtIssuer.subjectOf(username);
    }

    private static int items(String partition) {
        return stack.clients().dynamoDb().query(r -> r.tableName(stack.config().table())
                .keyConditionExpression("pk = :pk").consistentRead(true)
                .expressionAttributeValues(Map.of(":pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(partition))))
                .count();
    }

    /** A post that is not ready: its photo is not an image, so the media worker fails it. */
    private static String failedPost(String author) throws Exception {
        String upload = api.upload(author, "not a photo".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        String postId = api.post(author, upload, "");
        ApiClient.await(() -> "failed".equals(api.get(author, "/v1/posts/" + postId).json().path("status").asText()));
        return postId;
    }

    @Test
    void aPrivateAccountsOwnerHearsOfARequestAndTheRequesterOfTheApprovalAsTheyHappen() throws Exception {
        String owner = api.newUser("locked");
        String asker = api.newUser("asker");
        assertEquals(200, api.json("PUT", owner, "/v1/me", Map.of("private", true)).status());
        try (SocketClient ownerSocket = connect(owner); SocketClient askerSocket = connect(asker)) {
            ownerSocket.subscribe("notifications");
            askerSocket.subscribe("notifications");
            assertEquals(202, api.send("POST", "/v1/users/" + owner + "/follow", asker, null, null).status());
            JsonNode request = ownerSocket.await(m -> m.path("event").path("kind").asText().equals("follow_request"),
                    Duration.ofSeconds(10), new ArrayList<>());
            assertEquals(userId(asker), request.path("event").path("actor").path("id").asText());

            assertEquals(200, api.send("POST", "/v1/me/follow-requests/" + asker + "/approve", owner, null, null).status());
            JsonNode approved = askerSocket.await(m -> m.path("event").path("kind").asText().equals("follow_approved"),
                    Duration.ofSeconds(10), new ArrayList<>());
            assertEquals(userId(owner), approved.path("event").path("actor").path("id").asText());
        }
    }

    @Test
    void aSubscriberGetsALikeOnTheirPostWithinTwoSecondsAsANotificationAndAsTheNewCount() throws Exception {
        String author = api.newUser("author");
        String fan = api.newUser("fan");
        String postId = api.readyPost(author, "");
        try (SocketClient client = connect(author)) {
            JsonNode answer = client.subscribe("notifications", "post:" + postId);
            assertEquals("[\"notifications\",\"post:" + postId + "\"]", answer.path("subscribed").toString());

            like(fan, postId);
            List<JsonNode> messages = List.of(client.next(DELIVERY), client.next(DELIVERY));
            JsonNode notification = messages.stream().filter(m -> m.path("topic").asText().equals("notifications")).findFirst().orElseThrow();
            assertEquals("like", notification.path("event").path("kind").asText());
            assertEquals(userId(fan), notification.path("event").path("actor").path("id").asText());
            assertEquals(postId, notification.path("event").path("postId").asText());
            JsonNode counts = messages.stream().filter(m -> m.path("topic").asText().equals("post:" + postId)).findFirst().orElseThrow();
            assertEquals(1, counts.path("event").path("likes").asInt());
            assertEquals(0, counts.path("event").path("comments").asInt());
        }
    }

    @Test
    void aConnectionThatIsNotSubscribedOrIsRefusedGetsNothingButTheRefusal() throws Exception {
        String author = api.newUser("quiet");
        String fan = api.newUser("fan");
        String stranger = api.newUser("stranger");
        String watcher = api.newUser("watcher");
        String postId = api.readyPost(author, "");
        String othersUnready = failedPost(watcher);
        try (SocketClient unsubscribed = connect(author); SocketClient refused = connect(stranger); SocketClient control = connect(watcher)) {
            JsonNode notAllowed = refused.subscribe("post:" + othersUnready);
            assertEquals("topic_not_allowed", notAllowed.path("error").path("code").asText(), notAllowed.toString());
            JsonNode garbage = refused.subscribe("everything");
            assertEquals("unknown_topic", garbage.path("error").path("code").asText(), garbage.toString());
            JsonNode twoAtOnce = refused.subscribe("notifications", "post:" + othersUnready);
            assertEquals("topic_not_allowed", twoAtOnce.path("error").path("code").asText(), "all or nothing");
            refused.send("{\"action\":\"shout\"}");
            assertEquals("unknown_action", refused.next(DELIVERY).path("error").path("code").asText());
            refused.send("not json");
            assertEquals("unknown_action", refused.next(DELIVERY).path("error").path("code").asText());
            control.subscribe("post:" + postId);

            like(fan, postId);
            // The watcher's count arrives: the events were published. The others hear nothing.
            assertEquals(1, control.next(DELIVERY).path("event").path("likes").asInt());
            Thread.sleep(QUIET.toMillis());
            assertEquals(List.of(), new ArrayList<>(unsubscribed.received), "not subscribed: no notification");
            assertEquals(List.of(), new ArrayList<>(refused.received), "refused: nothing");
        }
        assertEquals(0, items(Keys.topicSubscribersPartition("post:" + othersUnready)), "a refusal writes nothing");
    }

    @Test
    void aConnectionWithoutAValidTokenIsRefused() {
        for (String token : List.of("", "not-a-token", api.token(api.newUser("x")) + "tampered")) {
            var failure = assertThrows(ExecutionException.class, () -> SocketClient.connect(stack.webSocketEndpoint(), token, DELIVERY));
            assertInstanceOf(java.net.http.WebSocketHandshakeException.class, failure.getCause(), token);
        }
        assertEquals(0, stack.connections().openCount());
    }

    @Test
    void aClosedConnectionIsCleanedUpAndAGoneOneIsRemovedWhenPostedTo() throws Exception {
        String author = api.newUser("closer");
        String fan = api.newUser("fan");
        String postId = api.readyPost(author, "");
        SocketClient client = connect(author);
        client.subscribe("notifications", "post:" + postId);
        assertEquals(1, items(Keys.userConnectionsPartition(userId(author))));
        assertEquals(1, items(Keys.topicSubscribersPartition("post:" + postId)));
        client.close();
        ApiClient.await(() -> items(Keys.userConnectionsPartition(userId(author))) == 0
                && items(Keys.topicSubscribersPartition("post:" + postId)) == 0);

        // A connection whose $disconnect never ran (its items left behind): the first post to it answers 410.
        var store = new dev.glint.shared.aws.DynamoConnectionStore(stack.clients().dynamoDb(), stack.config().table(),
                java.time.Clock.systemUTC());
        store.open("lostConnAAAAAAA=", userId(author), java.time.Instant.now().plusSeconds(600));
        store.subscribe("lostConnAAAAAAA=", userId(author), java.util.Set.of(new dev.glint.shared.realtime.Topic.PostCounts(postId)),
                java.time.Instant.now().plusSeconds(600));
        long goneBefore = stack.connections().gone();
        like(fan, postId);
        ApiClient.await(() -> items(Keys.topicSubscribersPartition("post:" + postId)) == 0
                && items(Keys.userConnectionsPartition(userId(author))) == 0);
        assertTrue(stack.connections().gone() > goneBefore, "the publisher was answered 410");
    }

    @Test
    void aPushedPostNudgesConnectedFollowersAndACelebritysPostNudgesNobody() throws Exception {
        String star = api.newUser("star");
        String friend = api.newUser("friend");
        List<String> fans = new ArrayList<>();
        for (int i = 0; i < CELEBRITY_THRESHOLD; i++) {
            String fan = api.newUser("fan");
            follow(fan, star);
            fans.add(fan);
        }
        follow(fans.get(0), friend);
        ApiClient.await(() -> api.get(star, "/v1/users/" + star).json().path("followers").asInt() >= CELEBRITY_THRESHOLD);
        List<SocketClient> clients = new ArrayList<>();
        try {
            for (String fan : fans) {
                SocketClient client = connect(fan);
                client.subscribe("feed");
                clients.add(client);
            }
            String starsPost = api.readyPost(star, "");
            String friendsPost = api.readyPost(friend, "");
            List<JsonNode> skipped = new ArrayList<>();
            JsonNode nudge = clients.get(0).await(m -> m.path("topic").asText().equals("feed"), Duration.ofSeconds(10), skipped);
            assertEquals(friendsPost, nudge.path("event").path("postId").asText());
            assertEquals(userId(friend), nudge.path("event").path("author").path("id").asText());
            assertEquals(friend, nudge.path("event").path("author").path("handle").asText());
            Thread.sleep(QUIET.toMillis());
            for (SocketClient client : clients) {
                client.received.forEach(skipped::add);
            }
            assertTrue(skipped.stream().noneMatch(m -> m.toString().contains(starsPost)), "celebrity's post nudged: " + skipped);
        } finally {
            clients.forEach(SocketClient::close);
        }
    }

    @Test
    void latencyFromALikesCallToTheSubscribersMessage() throws Exception {
        int likes = Integer.getInteger("glint.realtime.likes", 50);
        String author = api.newUser("popular");
        String postId = api.readyPost(author, "");
        List<String> fans = new ArrayList<>();
        for (int i = 0; i < likes; i++) {
            fans.add(api.newUser("l"));
        }
        List<Double> millis = new ArrayList<>();
        try (SocketClient client = connect(author)) {
            client.subscribe("post:" + postId);
            for (int i = 0; i < likes; i++) {
                int expected = i + 1;
                long start = System.nanoTime();
                like(fans.get(i), postId);
                client.await(m -> m.path("event").path("likes").asInt() >= expected, Duration.ofSeconds(5), new ArrayList<>());
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double p50 = sorted.get((int) Math.ceil(0.50 * sorted.size()) - 1);
        double p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
        String table = String.format(java.util.Locale.ROOT,
                "| likes | p50 ms | p99 ms | max ms | min ms |%n| ---: | ---: | ---: | ---: | ---: |%n| %d | %.0f | %.0f | %.0f | %.0f |%n",
                likes, p50, p99, sorted.get(sorted.size() - 1), sorted.get(0));
        System.out.println("Realtime latency, like API call to the subscriber's post:<id> message (load "
                + String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + "):");
        System.out.print(table);
        Path out = Path.of("target", "realtime-latency.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        assertFalse(millis.isEmpty());
    }
}
