package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.media.TestImages;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code DELETE /v1/me} end to end: a user with posts (one an album), comments, likes, follows both ways,
 * follow requests both ways (her account made private partway), reports she filed and reports of her
 * account and a post, her account suspended by a moderator (a log line, a notification),
 * followers' feed entries, notifications, blocks and mutes both ways, an experiment exposure, an
 * idempotency key, a digest preference, an unused upload and a data export (its items and archive), and other users who liked and commented on
 * their posts. Once the erasure is done, no item of the table (all read with a scan, which only a test
 * does) and no object of either bucket names the user's id, handle or anything they made; the others'
 * counts are right and their own data intact. Then the same on a stack that delivers every worker
 * batch twice, replays earlier ones and makes the erasure fail in the middle of its pages.
 */
class AccountDeletionIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    @Test
    void deletingAnAccountErasesEverythingThatNamesItAndLeavesOthersIntact() throws Exception {
        try (EmbeddedStack stack = STACKS.start(options -> options.withVisibilityTimeout(1))) {
            Scenario scenario = scenario(stack, "a");
            erase(stack, scenario);
        }
    }

    @Test
    void anErasureDeliveredTwiceReplayedAndFailingMidwayEndsTheSame() throws Exception {
        DuplicateDeliveryIT.Duplicating duplicating = new DuplicateDeliveryIT.Duplicating();
        CrashMidway crash = new CrashMidway();
        try (EmbeddedStack stack = STACKS.start(options -> options.withVisibilityTimeout(1).withDecorator(duplicating)
                .withFunctionInterceptor(GlintResources.MEDIA_WORKER_FUNCTION.name(), crash))) {
            Scenario scenario = scenario(stack, "b");
            crash.armed.set(true);
            erase(stack, scenario);
            assertTrue(crash.failed.get() >= 2, "the erasure failed midway " + crash.failed.get() + " times");
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "account-deletion.txt"), "erasure with every batch twice and earlier "
                    + "batches replayed (" + duplicating.duplicates.get() + " messages and records twice, "
                    + duplicating.replays.get() + " batches replayed) and " + crash.failed.get()
                    + " failures in the middle of its pages: nothing left that names the user\n");
        }
    }

    /**
     * Once armed, fails the media worker's 2nd and 7th batch writes (the batches before them went through):
     * a page dies midway, as a worker killed there would, and its message comes back.
     */
    static final class CrashMidway implements ExecutionInterceptor {
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger seen = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String called = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (armed.get() && called.equals("DynamoDb.BatchWriteItem") && Set.of(2, 7).contains(seen.incrementAndGet())) {
                failed.incrementAndGet();
                throw new IllegalStateException("the worker died in the middle of an erasure page (test)");
            }
        }
    }

    /** Who is who, and every name the erased user's data could be found by. */
    record Scenario(String alice, String aliceId, String bob, String carol, String dave, String eve, String frank,
                    String greta, String hal, String mod, String daveId, String single,
                    String bobPost, Set<String> names, Map<String, JsonNode> profilesBefore) {
    }

    private static Scenario scenario(EmbeddedStack stack, String tag) throws Exception {
        ApiClient api = new ApiClient(stack.apiEndpoint());
        String alice = "alice" + tag + java.util.UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithEmail(alice, alice + "@example.com");
        String aliceId = api.signUp(alice, alice);
        assertEquals(200, api.json("PUT", alice, "/v1/me", Map.of("handle", alice, "displayName", "Alice Zyxwvut",
                "bio", "soon gone")).status());
        String bob = api.newUser("bob" + tag);
        String carol = api.newUser("carol" + tag);
        String dave = api.newUser("dave" + tag);
        String eve = api.newUser("eve" + tag);
        String frank = api.newUser("frank" + tag);
        Set<String> names = new LinkedHashSet<>(List.of(aliceId, alice, "Zyxwvut".toLowerCase(), alice + "@example.com"));

        // Follows both ways: bob and carol follow alice (their feeds get her posts); alice follows bob and dave.
        for (String follower : List.of(bob, carol)) {
            assertEquals(200, api.send("POST", "/v1/users/" + alice + "/follow", follower, null, null).status());
        }
        for (String followee : List.of(bob, dave)) {
            assertEquals(200, api.send("POST", "/v1/users/" + followee + "/follow", alice, null, null).status());
        }
        // Her posts: one photo with a hashtag, and an album of two with alt texts.
        String single = api.readyPost(alice, "sunset at #erasurebay");
        String first = api.upload(alice, TestImages.jpeg(400, 300), "image/jpeg");
        String second = api.upload(alice, TestImages.jpeg(300, 400), "image/jpeg");
        Reply album = api.json("POST", alice, "/v1/posts", Map.of("caption", "two of them",
                "photos", List.of(Map.of("uploadId", first, "altText", "the first"), Map.of("uploadId", second, "altText", "the second"))));
        assertEquals(201, album.status(), album.body());
        String albumId = album.json().path("id").asText();
        ApiClient.await(() -> "ready".equals(api.get(alice, "/v1/posts/" + albumId).json().path("status").asText()));
        String unused = api.upload(alice, TestImages.jpeg(200, 200), "image/jpeg");
        names.addAll(List.of(single, albumId, first, second, unused));

        // Others like and comment on her posts; she likes and comments on bob's (once with an Idempotency-Key).
        String bobPost = api.readyPost(bob, "bob's own #erasurebay");
        assertEquals(200, api.send("PUT", "/v1/posts/" + single + "/like", bob, null, null).status());
        assertEquals(200, api.send("PUT", "/v1/posts/" + albumId + "/like", carol, null, null).status());
        assertEquals(201, api.json("POST", bob, "/v1/posts/" + single + "/comments", Map.of("text", "lovely")).status());
        assertEquals(201, api.json("POST", carol, "/v1/posts/" + albumId + "/comments", Map.of("text", "nice pair")).status());
        assertEquals(200, api.send("PUT", "/v1/posts/" + bobPost + "/like", alice, null, null).status());
        assertEquals(200, api.send("PUT", "/v1/posts/" + bobPost + "/like", carol, null, null).status());
        Reply comment = api.sendBytes("POST", "/v1/posts/" + bobPost + "/comments", alice,
                "{\"text\":\"from alice\"}".getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of("Idempotency-Key", "erase-me-" + tag));
        assertEquals(201, comment.status(), comment.body());
        names.add(comment.json().path("id").asText());
        names.add("erase-me-" + tag);
        assertEquals(201, api.json("POST", carol, "/v1/posts/" + bobPost + "/comments", Map.of("text", "from carol")).status());

        // Blocks and mutes both ways; a digest preference; her feed read (an experiment exposure).
        assertEquals(200, api.send("PUT", "/v1/users/" + frank + "/block", alice, null, null).status());
        assertEquals(200, api.send("PUT", "/v1/users/" + alice + "/block", eve, null, null).status());
        assertEquals(200, api.send("PUT", "/v1/users/" + alice + "/mute", dave, null, null).status());
        assertEquals(200, api.send("PUT", "/v1/users/" + carol + "/mute", alice, null, null).status());
        assertEquals(200, api.json("PUT", alice, "/v1/me/preferences", Map.of("emailDigest", "daily")).status());
        assertEquals(200, api.get(alice, "/v1/feed").status());
        assertEquals(200, api.get(alice, "/v1/notifications").status());

        // A data export of hers, ready: its item, slot, notification and archive all name her.
        Reply export = api.send("POST", "/v1/me/export", alice, null, null);
        assertEquals(202, export.status(), export.body());
        String exportId = export.json().path("id").asText();
        ApiClient.await(() -> "ready".equals(api.get(alice, "/v1/me/exports/" + exportId).json().path("status").asText()));
        names.add(exportId);

        // Private partway: her followers stay, greta's follow becomes a request; hal is private and she asks him.
        String greta = api.newUser("greta" + tag);
        String hal = api.newUser("hal" + tag);
        setPrivate(api, alice, true);
        setPrivate(api, hal, true);
        assertEquals(202, api.send("POST", "/v1/users/" + alice + "/follow", greta, null, null).status());
        assertEquals(202, api.send("POST", "/v1/users/" + hal + "/follow", alice, null, null).status());
        assertEquals(202, api.send("POST", "/v1/users/" + hal + "/follow", eve, null, null).status());

        // Reports she filed: bob's post after carol (her details are the report's latest), dave's account alone.
        String daveId = api.get(dave, "/v1/me").json().path("id").asText();
        assertEquals(202, report(api, carol, Map.of("postId", bobPost, "reason", "spam", "details", "carol saw it")).status());
        assertEquals(202, report(api, alice, Map.of("postId", bobPost, "reason", "spam", "details", "alice-note-" + tag)).status());
        assertEquals(202, report(api, alice, Map.of("handle", dave, "reason", "harassment")).status());
        names.add("alice-note-" + tag);
        // Reports of her: her account by bob, her post by carol.
        assertEquals(202, report(api, bob, Map.of("handle", alice, "reason", "spam")).status());
        assertEquals(202, report(api, carol, Map.of("postId", single, "reason", "nudity")).status());

        StackSnapshot before = StackSnapshot.quiet(stack);
        assertTrue(before.objects().keySet().stream().anyMatch(k -> k.contains("/exports/" + aliceId + "/" + exportId + ".zip")),
                "her export's archive is in the uploads bucket");
        assertTrue(before.items().values().stream().anyMatch(item -> "exposure".equals(str(item, "entity"))
                        && names.contains(str(item, "userId"))), "her feed read recorded an experiment exposure");
        assertFalse(namingUser(before, names).isEmpty(), "the scenario left data that names her");
        assertTrue(api.get(bob, "/v1/notifications").json().path("items").size() >= 3, "bob heard of her follow, like and comment");
        assertTrue(api.get(bob, "/v1/feed").json().path("items").size() >= 2, "her posts are in bob's feed");

        // A moderator suspends her account (a log line, a notification to her); the report of her post stays open.
        String mod = api.newUser("mod" + tag);
        api.tokenWithGroups(mod, "moderator");
        Reply suspended = api.json("POST", mod, "/v1/moderation/reports/u." + aliceId + "/takedown", Map.of("reason", "Spam account."));
        assertEquals(200, suspended.status(), suspended.body());
        ApiClient.await(() -> api.get(alice, "/v1/notifications").body().contains("account_suspended"));
        assertEquals(List.of("p." + bobPost, "u." + daveId, "p." + single).stream().sorted().toList(),
                queue(api, mod).stream().map(r -> r.path("id").asText()).sorted().toList());

        Map<String, JsonNode> profiles = new TreeMap<>();
        for (String user : List.of(bob, carol, dave, eve, frank, greta, hal)) {
            profiles.put(user, api.get(user, "/v1/me").json());
        }
        return new Scenario(alice, aliceId, bob, carol, dave, eve, frank, greta, hal, mod, daveId, single, bobPost, names, profiles);
    }

    private static void setPrivate(ApiClient api, String who, boolean locked) {
        Reply reply = api.json("PUT", who, "/v1/me", Map.of("private", locked));
        assertEquals(200, reply.status(), reply.body());
    }

    private static Reply report(ApiClient api, String who, Map<String, String> body) {
        return api.json("POST", who, "/v1/reports", body);
    }

    /** Every open report, paged through two at a time with the queue's cursors. */
    private static List<JsonNode> queue(ApiClient api, String moderator) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = api.get(moderator, "/v1/moderation/reports?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.body());
            page.json().path("items").forEach(all::add);
            cursor = page.json().path("next").asText(null);
        } while (cursor != null);
        return all;
    }

    private static void erase(EmbeddedStack stack, Scenario s) throws Exception {
        ApiClient api = new ApiClient(stack.apiEndpoint());
        api.tokenWithGroups(s.mod(), "moderator");
        JsonNode bobPostBefore = api.get(s.bob(), "/v1/posts/" + s.bobPost()).json();

        // Suspended, she may still delete her account.
        Reply deleted = api.delete(s.alice(), "/v1/me");
        assertEquals(202, deleted.status(), deleted.body());
        // hal makes his account public meanwhile: the approval of his pending requests races her erasure.
        setPrivate(api, s.hal(), false);
        assertEquals("erasing", deleted.json().path("status").asText());
        // Gone at once: her handle is nobody's, and her token changes nothing.
        assertEquals(404, api.get(s.bob(), "/v1/users/" + s.alice()).status());
        Reply again = api.json("PUT", s.alice(), "/v1/me", Map.of("handle", s.alice()));
        assertEquals(401, again.status());
        assertEquals("account_deleted", again.errorCode());
        assertEquals(202, api.delete(s.alice(), "/v1/me").status(), "asking again answers as the first time");
        // Her own profile is not "yet to be made": the account is gone.
        Reply mine = api.get(s.alice(), "/v1/me");
        assertEquals(401, mine.status(), mine.body());
        assertEquals("account_deleted", mine.errorCode());
        // Nor does it open a realtime connection (one would write items naming her after the erasure took hers).
        var refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> SocketClient.connect(stack.webSocketEndpoint(), api.token(s.alice()), java.time.Duration.ofSeconds(5)));
        assertInstanceOf(java.net.http.WebSocketHandshakeException.class, refused.getCause());

        ApiClient.await(() -> api.get(s.hal(), "/v1/users/" + s.hal() + "/followers").body().contains("\"" + s.eve() + "\""));
        StackSnapshot after = awaitErased(stack, s);
        List<String> left = namingUser(after, s.names());
        assertTrue(left.isEmpty(), left.size() + " things still name her:\n" + String.join("\n", left.subList(0, Math.min(20, left.size()))));

        // The tombstone: a digest, when it finished, when it goes; nothing else.
        List<Map<String, AttributeValue>> tombstones = after.items().values().stream()
                .filter(item -> "erasure".equals(str(item, "entity"))).toList();
        assertEquals(1, tombstones.size());
        assertEquals(Set.of("pk", "sk", "entity", "finishedAt", "ttl"), tombstones.get(0).keySet());

        // Others' counts and data: bob's post lost her like and comment only; follows counted down on both sides.
        JsonNode bobPost = api.get(s.bob(), "/v1/posts/" + s.bobPost()).json();
        assertEquals("ready", bobPost.path("status").asText());
        assertEquals(bobPostBefore.path("likes").asLong() - 1, bobPost.path("likes").asLong());
        assertEquals(bobPostBefore.path("comments").asLong() - 1, bobPost.path("comments").asLong());
        assertEquals(List.of("from carol"), texts(api.get(s.bob(), "/v1/posts/" + s.bobPost() + "/comments").json()));
        Map<String, long[]> expected = Map.of(
                s.bob(), new long[]{-1, -1}, s.carol(), new long[]{0, -1}, s.dave(), new long[]{-1, 0},
                s.eve(), new long[]{0, 1}, s.frank(), new long[]{0, 0}, s.greta(), new long[]{0, 0}, s.hal(), new long[]{1, 0});
        for (var entry : expected.entrySet()) {
            JsonNode before = s.profilesBefore().get(entry.getKey());
            JsonNode now = api.get(entry.getKey(), "/v1/me").json();
            assertEquals(before.path("followers").asLong() + entry.getValue()[0], now.path("followers").asLong(),
                    entry.getKey() + "'s followers");
            assertEquals(before.path("following").asLong() + entry.getValue()[1], now.path("following").asLong(),
                    entry.getKey() + "'s following");
            assertEquals(before.path("posts").asLong(), now.path("posts").asLong(), entry.getKey() + "'s posts");
        }
        assertTrue(api.get(s.bob(), "/v1/feed").json().path("items").isArray());
        assertEquals(List.of(s.bobPost()), ids(api.get(s.bob(), "/v1/users/" + s.bob() + "/posts").json()));
        assertTrue(after.objects().keySet().stream().anyMatch(k -> k.contains("/media/" + s.bobPost() + "/")),
                "bob's renditions are still there");
        assertEquals(200, api.get(s.carol(), "/v1/posts/" + s.bobPost()).status());

        // Follow requests: none left either way; hal's approval made eve a follower and nothing of hers.
        assertEquals(0, api.get(s.hal(), "/v1/me/follow-requests").json().path("items").size());
        assertEquals(List.of(s.eve()), handles(api.get(s.hal(), "/v1/users/" + s.hal() + "/followers").json()));

        // The moderators' queue pages as before, without what was hers; carol's report of bob's post stands alone.
        List<JsonNode> queue = queue(api, s.mod());
        assertEquals(List.of("p." + s.bobPost()), queue.stream().map(r -> r.path("id").asText()).toList());
        assertEquals(1, queue.get(0).path("reporters").asLong());
        assertEquals(1, queue.get(0).path("reasons").path("spam").asLong());
        assertTrue(queue.get(0).path("details").isMissingNode(), queue.get(0).toString());
        Reply daveReport = api.get(s.mod(), "/v1/moderation/reports/u." + s.daveId());
        assertEquals(404, daveReport.status(), "the report only she made went");
        // A decision on a report of hers that went with her: 404 JSON, not a failure.
        Reply late = api.json("POST", s.mod(), "/v1/moderation/reports/p." + s.single() + "/takedown", Map.of("reason", "Late."));
        assertEquals(404, late.status(), late.body());
        assertEquals("report_not_found", late.errorCode());
        // The log keeps the suspension's action, reason, moderator and time, and no longer says whose.
        Reply log = api.get(s.mod(), "/v1/moderation/actions");
        assertEquals(200, log.status(), log.body());
        assertEquals(1, log.json().path("items").size(), log.body());
        JsonNode line = log.json().path("items").get(0);
        assertEquals("takedown", line.path("action").asText());
        assertEquals("Spam account.", line.path("reason").asText());
        assertEquals(s.mod(), line.path("moderator").path("handle").asText());
        assertEquals("account", line.path("target").path("kind").asText());
        assertTrue(line.path("owner").isMissingNode() && line.path("reportId").isMissingNode(), line.toString());
    }

    private static List<String> handles(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(item -> out.add(item.path("handle").asText()));
        return out;
    }

    /** Waits until the tombstone says finished and the stack is quiet again. */
    private static StackSnapshot awaitErased(EmbeddedStack stack, Scenario s) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            StackSnapshot now = StackSnapshot.quiet(stack);
            if (now.items().values().stream().anyMatch(item -> "erasure".equals(str(item, "entity")) && item.containsKey("finishedAt"))) {
                return now;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the erasure did not finish within 120 s");
    }

    /** Every item and object that names any of the names, in any key, attribute name or value. */
    private static List<String> namingUser(StackSnapshot snapshot, Set<String> names) {
        List<String> found = new ArrayList<>();
        List<String> lower = names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
        snapshot.items().forEach((key, item) -> {
            String text = (key + " " + render(item)).toLowerCase(java.util.Locale.ROOT);
            lower.stream().filter(text::contains).findFirst().ifPresent(name -> found.add("item " + key + " names " + name + ": " + item));
        });
        snapshot.objects().keySet().forEach(object -> lower.stream().filter(object.toLowerCase(java.util.Locale.ROOT)::contains)
                .findFirst().ifPresent(name -> found.add("object " + object + " names " + name)));
        return found;
    }

    private static String render(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder();
        item.forEach((name, value) -> out.append(name).append('=').append(render(value)).append(' '));
        return out.toString();
    }

    private static String render(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.hasSs()) {
            return String.join(",", value.ss());
        }
        if (value.hasM()) {
            return render(value.m());
        }
        if (value.hasL()) {
            return value.l().stream().map(AccountDeletionIT::render).reduce("", String::concat);
        }
        if (value.b() != null) {
            return value.b().asString(StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(value.n());
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static List<String> texts(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(item -> out.add(item.path("text").asText()));
        return out;
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(item -> out.add(item.path("id").asText()));
        return out;
    }
}
