package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.api.HttpRequest;
import dev.glint.api.HttpResponse;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The social API end to end: real HTTP through the local gateway, tokens from the local issuer, DynamoDB Local, S3Proxy. */
class SocialApiIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static final AtomicInteger USERS = new AtomicInteger();

    /** A fresh user with a profile; returns its username (also its handle). */
    private static String user(String prefix) {
        String name = prefix + "_" + USERS.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 4);
        api.signUp(name, name);
        return name;
    }

    /** A post others can see: a real photo, ready. */
    private static String postBy(String user) throws InterruptedException {
        return api.readyPost(user, "hello from " + user);
    }

    /** A post of four bytes that are no photo: processing, then failed; only its author sees it. */
    private static String unfinishedPostBy(String user) {
        return api.post(user, api.upload(user, new byte[]{1, 2, 3, 4}, "image/jpeg"), "hello from " + user);
    }

    /** Like and comment counts are kept by the stream processor: they settle within moments. */
    private static void awaitCount(String user, String postId, String counter, long expected) throws InterruptedException {
        awaitProfile(user, "/v1/posts/" + postId, counter, expected);
    }

    /** Waits until a count a read shows (a profile's or a post's), kept from the stream, reaches the expected value. */
    private static void awaitProfile(String viewer, String path, String counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long actual;
        while ((actual = api.get(viewer, path).json().path(counter).asLong()) != expected) {
            assertTrue(System.nanoTime() < deadline, path + " " + counter + " stayed at " + actual + ", expected " + expected);
            Thread.sleep(100);
        }
    }

    private static int putBlob(JsonNode presigned, byte[] bytes, String contentType) {
        return api.putBlob(presigned, bytes, contentType);
    }

    private static <T> List<T> concurrently(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The table once the stream processor has caught up with earlier writes (notifications, rollups
     * and counters land a moment after the writes they derive from).
     */
    private static Map<String, Map<String, AttributeValue>> quietSnapshot() throws InterruptedException {
        Map<String, Map<String, AttributeValue>> previous = tableSnapshot();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(750);
            Map<String, Map<String, AttributeValue>> current = tableSnapshot();
            if (current.equals(previous)) {
                return current;
            }
            previous = current;
        }
        throw new AssertionError("the table never became quiet");
    }

    private static Map<String, Map<String, AttributeValue>> tableSnapshot() {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        stack.clients().dynamoDb().scanPaginator(r -> r.tableName(stack.config().table()).consistentRead(true))
                .items().forEach(item -> items.put(item.get("pk").s() + "|" + item.get("sk").s(), item));
        return items;
    }

    @Test
    void aProfileIsCreatedReadBackAndUpdatedWithItsHandleClaimedCaseInsensitively() {
        String name = "p" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = api.json("PUT", name, "/v1/me", Map.of("handle", "Mixed_" + name, "displayName", "Pat"));
        assertEquals(200, created.status(), created.body());
        assertEquals(("mixed_" + name).toLowerCase(), created.json().path("handle").asText());
        assertEquals(LocalJwtIssuer.subjectOf(name), created.json().path("id").asText());

        Reply me = api.get(name, "/v1/me");
        assertEquals("Pat", me.json().path("displayName").asText());

        Reply updated = api.json("PUT", name, "/v1/me", Map.of("bio", "photos of bridges"));
        assertEquals("photos of bridges", updated.json().path("bio").asText());
        assertEquals("Pat", updated.json().path("displayName").asText());

        Reply byHandle = api.get(user("viewer"), "/v1/users/MIXED_" + name);
        assertEquals(200, byHandle.status(), byHandle.body());
        assertEquals(0, byHandle.json().path("followers").asInt());

        String other = "q" + UUID.randomUUID().toString().substring(0, 8);
        Reply taken = api.json("PUT", other, "/v1/me", Map.of("handle", "mixed_" + name));
        assertEquals(409, taken.status());
        assertEquals("handle_taken", taken.errorCode());

        Reply renamed = api.json("PUT", name, "/v1/me", Map.of("handle", "renamed_" + name));
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals(404, api.get(other, "/v1/users/mixed_" + name).status());
        assertEquals(200, api.json("PUT", other, "/v1/me", Map.of("handle", "mixed_" + name)).status(),
                "the old handle was released");
    }

    @Test
    void aLoneSurrogateInAnyTextFieldIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        String author = user("surrogates");
        String newcomer = "nobody" + UUID.randomUUID().toString().substring(0, 6);
        String postId = postBy(author);
        String uploadId = api.upload(author, TestImages.jpeg(64, 48), "image/jpeg");
        // The JSON escapes as sent on the wire: half of a UTF-16 pair, high or low, alone.
        String high = "\\ud800";
        String low = "\\udc00";
        record Case(String user, String method, String path, String field, String body) {
        }
        List<Case> cases = List.of(
                new Case(newcomer, "PUT", "/v1/me", "handle", "{\"handle\":\"ab" + high + "c\"}"),
                new Case(author, "PUT", "/v1/me", "displayName", "{\"displayName\":\"Pat" + high + "\"}"),
                new Case(author, "PUT", "/v1/me", "bio", "{\"bio\":\"a" + high + "b\"}"),
                new Case(author, "PUT", "/v1/me", "bio", "{\"bio\":\"" + low + "\"}"),
                new Case(author, "POST", "/v1/uploads", "contentType", "{\"contentType\":\"image/jpeg" + high + "\",\"contentLength\":10}"),
                new Case(author, "POST", "/v1/posts", "caption", "{\"uploadId\":\"" + uploadId + "\",\"caption\":\"#t" + low + "ag\"}"),
                new Case(author, "POST", "/v1/posts", "uploadId", "{\"uploadId\":\"" + uploadId + high + "\"}"),
                new Case(author, "POST", "/v1/posts/" + postId + "/comments", "text", "{\"text\":\"nice" + high + "\"}"),
                new Case(author, "POST", "/v1/notifications/read", "upTo", "{\"upTo\":\"" + low + "\"}"));
        StackSnapshot before = StackSnapshot.quiet(stack);

        for (Case c : cases) {
            Reply reply = api.send(c.method(), c.path(), c.user(), c.body(), "application/json");

            assertEquals(400, reply.status(), c + ": " + reply.body());
            assertEquals("invalid_text", reply.errorCode(), c.toString());
            assertTrue(reply.json().path("error").path("message").asText().startsWith(c.field() + " holds a lone surrogate"),
                    reply.body());
        }

        StackSnapshot after = StackSnapshot.quiet(stack);
        assertEquals(before, after, before.diff(after));
        assertEquals(404, api.get(newcomer, "/v1/me").status());
        // Whole characters sent as escaped pairs are kept exactly.
        Reply bio = api.send("PUT", "/v1/me", author, "{\"bio\":\"sea \\ud83c\\udf0a #t\\u00e4g\"}", "application/json");
        assertEquals(200, bio.status(), bio.body());
        assertEquals("sea \ud83c\udf0a #t\u00e4g", api.get(author, "/v1/me").json().path("bio").asText());
    }

    @Test
    void headOnEveryKindOfGetRouteAnswersItsStatusAndETagWithoutABody() throws Exception {
        String author = user("head");
        String postId = postBy(author);
        // The post's count and tag index arrive from the stream: a GET and a HEAD must see one state.
        awaitProfile(author, "/v1/me", "posts", 1);
        StackSnapshot.quiet(stack);
        for (String path : List.of("/v1/me", "/v1/users/" + author, "/v1/users/" + author + "/posts", "/v1/posts/" + postId,
                "/v1/posts/" + postId + "/comments", "/v1/feed", "/v1/notifications", "/v1/tags/head/posts")) {
            Reply get = api.get(author, path);
            Reply head = api.send("HEAD", path, author, null, null);

            assertEquals(200, head.status(), path);
            assertEquals("", head.body(), path);
            String etag = get.raw().headers().firstValue("etag").orElseThrow();
            assertEquals(etag, head.raw().headers().firstValue("etag").orElse(null), path);
            assertEquals(304, api.sendBytes("HEAD", path, author, null, null, Map.of("If-None-Match", etag)).status(), path);
        }
        assertEquals(404, api.send("HEAD", "/v1/posts/" + "0".repeat(26), author, null, null).status());
        for (String path : List.of("/", "/console", "/health", "/openapi.yaml")) {
            Reply head = api.send("HEAD", path, null, null, null);
            assertEquals(200, head.status(), path);
            assertEquals("", head.body(), path);
        }
    }

    @Test
    void demoDataSeedsOnceThroughTheApi() throws Exception {
        assertTrue(DemoData.seed(stack.apiEndpoint()));
        assertFalse(DemoData.seed(stack.apiEndpoint()), "a second seeding changes nothing");
        awaitProfile("dave", "/v1/users/alice", "followers", 3);
        awaitProfile("dave", "/v1/users/alice", "posts", 1);
        String bridge = api.get("dave", "/v1/users/alice/posts").json().path("items").get(0).path("id").asText();
        awaitCount("dave", bridge, "likes", 3);
        awaitCount("dave", bridge, "comments", 3);
        ApiClient.await(() -> {
            JsonNode album = api.get("alice", "/v1/users/dave/posts").json().path("items").path(0);
            return album.path("status").asText().equals("ready") && album.path("photos").size() == 3
                    && album.path("photos").get(0).path("altText").asText().startsWith("An orange sky");
        });
    }

    @Test
    void theWebClientIsServedWithoutATokenAndItsPageMayPutPhotosStraightToTheBucket() throws Exception {
        Reply page = api.get(null, "/");
        assertEquals(200, page.status());
        assertTrue(page.raw().headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<title>Glint</title>"));

        String author = user("web");
        JsonNode presigned = api.json("POST", author, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 4)).json();
        String origin = stack.apiEndpoint().toString().replaceAll("/$", "");
        var preflight = java.net.http.HttpRequest.newBuilder(java.net.URI.create(presigned.path("url").asText()))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type").build();
        var answer = java.net.http.HttpClient.newHttpClient().send(preflight, java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(200, answer.statusCode(), "the browser's preflight of a presigned PUT");
        assertTrue(answer.headers().firstValue("access-control-allow-origin").isPresent(), answer.headers().toString());
    }

    @Test
    void meWithoutAProfileIs404AndCreatingOneNeedsAHandle() {
        Reply none = api.get("nobody_" + UUID.randomUUID().toString().substring(0, 6), "/v1/me");
        assertEquals(404, none.status());
        assertEquals("profile_not_found", none.errorCode());
        Reply noHandle = api.json("PUT", "nobody2", "/v1/me", Map.of("displayName", "x"));
        assertEquals(400, noHandle.status());
        assertEquals("handle_required", noHandle.errorCode());
    }

    @Test
    void aContestedHandleIsClaimedByExactlyOneUser() throws Exception {
        String handle = "hot_" + UUID.randomUUID().toString().substring(0, 8);
        List<Callable<Integer>> claims = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String username = "claimer" + i + "_" + handle;
            api.token(username);
            claims.add(() -> api.json("PUT", username, "/v1/me", Map.of("handle", handle)).status());
        }
        List<Integer> statuses = concurrently(12, claims);

        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(11, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1, tableSnapshot().keySet().stream().filter(k -> k.startsWith("HANDLE#" + handle + "|")).count());
    }

    @Test
    void followingIsIdempotentCountedAndListedNewestFirst() throws Exception {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");

        Reply first = api.send("POST", "/v1/users/" + bob + "/follow", alice, null, null);
        assertEquals(200, first.status(), first.body());
        assertTrue(first.json().path("changed").asBoolean());
        assertFalse(api.send("POST", "/v1/users/" + bob + "/follow", alice, null, null).json().path("changed").asBoolean());
        api.send("POST", "/v1/users/" + bob + "/follow", carol, null, null);

        awaitProfile(bob, "/v1/me", "followers", 2);
        awaitProfile(alice, "/v1/me", "following", 1);
        JsonNode followers = api.get(alice, "/v1/users/" + bob + "/followers").json().path("items");
        assertEquals(List.of(carol, alice), List.of(followers.get(0).path("handle").asText(), followers.get(1).path("handle").asText()));
        assertEquals(bob, api.get(alice, "/v1/users/" + alice + "/following").json().path("items").get(0).path("handle").asText());

        assertTrue(api.delete(alice, "/v1/users/" + bob + "/follow").json().path("changed").asBoolean());
        assertFalse(api.delete(alice, "/v1/users/" + bob + "/follow").json().path("changed").asBoolean());
        awaitProfile(bob, "/v1/me", "followers", 1);
        awaitProfile(alice, "/v1/me", "following", 0);
        assertEquals(0, api.get(alice, "/v1/users/" + alice + "/following").json().path("items").size());

        Reply self = api.send("POST", "/v1/users/" + alice + "/follow", alice, null, null);
        assertEquals(400, self.status());
        assertEquals("cannot_follow_self", self.errorCode());
        assertEquals(404, api.send("POST", "/v1/users/no_such_user_zz/follow", alice, null, null).status());
    }

    @Test
    void concurrentFollowsAndUnfollowsSettleOnExactCounts() throws Exception {
        String star = user("star");
        List<String> fans = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            fans.add(user("fan"));
        }
        List<Callable<Integer>> follows = new ArrayList<>();
        for (String fan : fans) {
            // every fan follows twice at once: each follow must count once
            follows.add(() -> api.send("POST", "/v1/users/" + star + "/follow", fan, null, null).status());
            follows.add(() -> api.send("POST", "/v1/users/" + star + "/follow", fan, null, null).status());
        }
        assertTrue(concurrently(16, follows).stream().allMatch(s -> s == 200));
        awaitProfile(star, "/v1/me", "followers", 16);

        List<Callable<Integer>> unfollows = new ArrayList<>();
        for (String fan : fans.subList(0, 6)) {
            unfollows.add(() -> api.delete(fan, "/v1/users/" + star + "/follow").status());
            unfollows.add(() -> api.delete(fan, "/v1/users/" + star + "/follow").status());
        }
        concurrently(12, unfollows);
        awaitProfile(star, "/v1/me", "followers", 10);
        long edges = tableSnapshot().keySet().stream().filter(k -> k.startsWith("FOLLOWERS#" + LocalJwtIssuer.subjectOf(star) + "|")).count();
        assertEquals(10, edges);
    }

    @Test
    void listsArePagedWithSignedCursorsThatCannotBeTamperedWithOrReused() {
        String celebrity = user("celeb");
        for (int i = 0; i < 5; i++) {
            api.send("POST", "/v1/users/" + celebrity + "/follow", user("page"), null, null);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = api.get(celebrity, "/v1/users/" + celebrity + "/followers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.body());
            page.json().path("items").forEach(item -> seen.add(item.path("handle").asText()));
            cursor = page.json().path("next").asText(null);
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(5, seen.size());
        assertEquals(5, Set.copyOf(seen).size());

        String next = api.get(celebrity, "/v1/users/" + celebrity + "/followers?limit=2").json().path("next").asText();
        String tampered = (next.charAt(0) == 'A' ? 'B' : 'A') + next.substring(1);
        assertEquals("invalid_cursor", api.get(celebrity, "/v1/users/" + celebrity + "/followers?cursor=" + tampered).errorCode());
        assertEquals("invalid_cursor", api.get(celebrity, "/v1/users/" + celebrity + "/following?cursor=" + next).errorCode());
        assertEquals("invalid_cursor", api.get(celebrity, "/v1/users/" + celebrity + "/followers?cursor=garbage").errorCode());
        assertEquals("invalid_limit", api.get(celebrity, "/v1/users/" + celebrity + "/followers?limit=101").errorCode());
        assertEquals("invalid_limit", api.get(celebrity, "/v1/users/" + celebrity + "/followers?limit=x").errorCode());
    }

    @Test
    void aPhotoIsUploadedStraightToTheBucketAndBecomesAProcessingPostOnce() throws Exception {
        String author = user("author");
        Reply upload = api.json("POST", author, "/v1/uploads", Map.of("contentType", "image/png", "contentLength", 3));
        assertEquals(201, upload.status(), upload.body());
        assertTrue(upload.json().path("url").asText().contains("/uploads/" + LocalJwtIssuer.subjectOf(author) + "/"),
                "the URL reaches the caller's own prefix only");
        String uploadId = upload.json().path("uploadId").asText();

        Reply early = api.json("POST", author, "/v1/posts", Map.of("uploadId", uploadId, "caption", "too soon"));
        assertEquals(409, early.status());
        assertEquals("upload_not_received", early.errorCode());

        assertEquals(403, putBlob(upload.json(), new byte[]{1, 2, 3}, "text/plain"), "the signed content type is enforced");
        assertEquals(200, putBlob(upload.json(), new byte[]{1, 2, 3}, "image/png"));

        Reply stranger = api.json("POST", user("thief"), "/v1/posts", Map.of("uploadId", uploadId));
        assertEquals(404, stranger.status());
        assertEquals("upload_not_found", stranger.errorCode());

        Reply post = api.json("POST", author, "/v1/posts", Map.of("uploadId", uploadId, "caption", "  bridges #sunset "));
        assertEquals(201, post.status(), post.body());
        assertEquals("processing", post.json().path("status").asText());
        assertEquals("bridges #sunset", post.json().path("caption").asText());
        assertEquals(author, post.json().path("author").path("handle").asText());

        Reply again = api.json("POST", author, "/v1/posts", Map.of("uploadId", uploadId, "caption", "retry"));
        assertEquals(post.json().path("id").asText(), again.json().path("id").asText(), "a retried post is the same post");
        awaitProfile(author, "/v1/me", "posts", 1);

        // Three bytes are no photo: the post fails, and only its author ever sees it.
        Reply read = api.get(user("reader"), "/v1/posts/" + post.json().path("id").asText());
        assertEquals(404, read.status(), "another user sees no unfinished post");
        assertEquals(0, api.get(author, "/v1/posts/" + post.json().path("id").asText()).json().path("likes").asInt());
        JsonNode listed = api.get(author, "/v1/users/" + author + "/posts").json().path("items");
        assertEquals(post.json().path("id").asText(), listed.get(0).path("id").asText());
    }

    @Test
    void uploadsOutsideTheRulesAreRefusedWithoutWriting() throws Exception {
        String author = user("strict");
        var before = quietSnapshot();
        Reply type = api.json("POST", author, "/v1/uploads", Map.of("contentType", "image/gif", "contentLength", 10));
        assertEquals("unsupported_content_type", type.errorCode());
        for (String phoneFormat : List.of("image/heic", "image/HEIF", "image/avif")) {
            Reply iphone = api.json("POST", author, "/v1/uploads", Map.of("contentType", phoneFormat, "contentLength", 10));
            assertEquals(415, iphone.status(), phoneFormat);
            assertEquals("unsupported_photo_format", iphone.errorCode(), phoneFormat);
            assertTrue(iphone.json().path("error").path("message").asText().contains("image/jpeg, image/png or image/webp"));
        }
        Reply big = api.json("POST", author, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 20L * 1024 * 1024 + 1));
        assertEquals("invalid_content_length", big.errorCode());
        Reply zero = api.json("POST", author, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 0));
        assertEquals("invalid_content_length", zero.errorCode());
        assertEquals(before, quietSnapshot());
    }

    @Test
    void readsCarryAnETagAndAnUnchangedOneIs304WithoutABody() throws Exception {
        String author = user("cached");
        String reader = user("reader");
        String postId = postBy(author);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ("processing".equals(api.get(reader, "/v1/posts/" + postId).json().path("status").asText())) {
            assertTrue(System.nanoTime() < deadline, "the media worker never settled the post");
            Thread.sleep(100);
        }
        Reply first = api.get(reader, "/v1/posts/" + postId);
        String etag = first.raw().headers().firstValue("etag").orElseThrow();
        assertEquals("private, no-cache", first.raw().headers().firstValue("cache-control").orElseThrow());

        Reply unchanged = api.getWith(reader, "/v1/posts/" + postId, Map.of("If-None-Match", etag));
        assertEquals(304, unchanged.status());
        assertEquals("", unchanged.body());

        api.send("PUT", "/v1/posts/" + postId + "/like", reader, null, null);
        awaitCount(reader, postId, "likes", 1);
        Reply changed = api.getWith(reader, "/v1/posts/" + postId, Map.of("If-None-Match", etag));
        assertEquals(200, changed.status(), "a like changes the view");
        String liked = changed.raw().headers().firstValue("etag").orElseThrow();
        assertNotEquals(etag, liked);
        assertEquals(1, changed.json().path("likes").asInt());

        // The author's new handle is part of the post's view: it changes the post's ETag too.
        assertEquals(200, api.json("PUT", author, "/v1/me", Map.of("handle", "re_" + author)).status());
        Reply renamed = api.getWith(reader, "/v1/posts/" + postId, Map.of("If-None-Match", liked));
        assertEquals(200, renamed.status(), "a renamed author changes the view");
        assertEquals("re_" + author, renamed.json().path("author").path("handle").asText());

        // Profiles: 304 while unchanged, 200 once a count the stream keeps has moved.
        Reply profile = api.get(reader, "/v1/users/re_" + author);
        String profileTag = profile.raw().headers().firstValue("etag").orElseThrow();
        assertEquals(304, api.getWith(reader, "/v1/users/re_" + author, Map.of("If-None-Match", profileTag)).status());
        api.send("POST", "/v1/users/re_" + author + "/follow", reader, null, null);
        awaitProfile(reader, "/v1/users/re_" + author, "followers", profile.json().path("followers").asLong() + 1);
        assertEquals(200, api.getWith(reader, "/v1/users/re_" + author, Map.of("If-None-Match", profileTag)).status());
    }

    @Test
    void onlyTheAuthorDeletesAPostAndThenItIsGoneFromEveryReadPath() throws Exception {
        String author = user("deleter");
        String other = user("other");
        String postId = postBy(author);
        api.json("POST", other, "/v1/posts/" + postId + "/comments", Map.of("text", "nice"));

        Reply forbidden = api.delete(other, "/v1/posts/" + postId);
        assertEquals(403, forbidden.status());
        assertEquals(200, api.get(other, "/v1/posts/" + postId).status());

        assertEquals(204, api.delete(author, "/v1/posts/" + postId).status());
        assertEquals(404, api.get(other, "/v1/posts/" + postId).status());
        assertEquals(404, api.get(author, "/v1/posts/" + postId).status());
        assertEquals(0, api.get(author, "/v1/users/" + author + "/posts").json().path("items").size());
        awaitProfile(author, "/v1/me", "posts", 0);
        assertEquals(404, api.get(other, "/v1/posts/" + postId + "/comments").status());
        assertEquals(404, api.send("PUT", "/v1/posts/" + postId + "/like", other, null, null).status());
        assertEquals(404, api.delete(author, "/v1/posts/" + postId).status());
    }

    @Test
    void likesAreIdempotentAndExactUnderConcurrency() throws Exception {
        String author = user("liked");
        String postId = postBy(author);
        String fan = user("liker");
        assertTrue(api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null).json().path("liked").asBoolean());
        api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null);
        awaitCount(author, postId, "likes", 1);
        assertFalse(api.delete(fan, "/v1/posts/" + postId + "/like").json().path("liked").asBoolean());
        api.delete(fan, "/v1/posts/" + postId + "/like");
        awaitCount(author, postId, "likes", 0);

        List<String> likers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            likers.add(user("crowd"));
        }
        List<Callable<Integer>> likes = new ArrayList<>();
        for (String liker : likers) {
            likes.add(() -> api.send("PUT", "/v1/posts/" + postId + "/like", liker, null, null).status());
            likes.add(() -> api.send("PUT", "/v1/posts/" + postId + "/like", liker, null, null).status());
        }
        // the first eight like and unlike at the same time: each ends liked or not, and the count agrees
        for (String liker : likers.subList(0, 8)) {
            likes.add(() -> api.delete(liker, "/v1/posts/" + postId + "/like").status());
        }
        assertTrue(concurrently(16, likes).stream().allMatch(s -> s == 200));

        var snapshot = tableSnapshot();
        long likeItems = likers.stream().map(liker -> Keys.like(postId, LocalJwtIssuer.subjectOf(liker)))
                .filter(key -> snapshot.containsKey(key.pk() + "|" + key.sk())).count();
        assertTrue(likeItems >= 12 && likeItems <= 20, "likes " + likeItems);
        awaitCount(author, postId, "likes", likeItems);
    }

    @Test
    void commentsArePagedOldestFirstAndDeletedOnlyByTheirAuthorOrThePostsAuthor() throws Exception {
        String author = user("poster");
        String commenter = user("commenter");
        String stranger = user("stranger");
        String postId = postBy(author);
        List<String> ids = new ArrayList<>();
        for (String text : List.of("first", "second", "third")) {
            Reply created = api.json("POST", commenter, "/v1/posts/" + postId + "/comments", Map.of("text", text));
            assertEquals(201, created.status(), created.body());
            ids.add(created.json().path("id").asText());
        }
        Reply page1 = api.get(stranger, "/v1/posts/" + postId + "/comments?limit=2");
        assertEquals(List.of("first", "second"), List.of(page1.json().path("items").get(0).path("text").asText(),
                page1.json().path("items").get(1).path("text").asText()));
        Reply page2 = api.get(stranger, "/v1/posts/" + postId + "/comments?limit=2&cursor=" + page1.json().path("next").asText());
        assertEquals("third", page2.json().path("items").get(0).path("text").asText());
        assertNull(page2.json().path("next").asText(null), "no cursor on the last page");
        awaitCount(author, postId, "comments", 3);

        assertEquals(403, api.delete(stranger, "/v1/posts/" + postId + "/comments/" + ids.get(0)).status());
        assertEquals(204, api.delete(commenter, "/v1/posts/" + postId + "/comments/" + ids.get(0)).status());
        assertEquals(204, api.delete(author, "/v1/posts/" + postId + "/comments/" + ids.get(1)).status());
        assertEquals(404, api.delete(author, "/v1/posts/" + postId + "/comments/" + ids.get(1)).status());
        awaitCount(author, postId, "comments", 1);

        assertEquals("invalid_text", api.json("POST", commenter, "/v1/posts/" + postId + "/comments", Map.of("text", "  ")).errorCode());
        assertEquals("invalid_text", api.json("POST", commenter, "/v1/posts/" + postId + "/comments",
                Map.of("text", "x".repeat(2201))).errorCode());
        assertEquals(201, api.json("POST", commenter, "/v1/posts/" + postId + "/comments", Map.of("text", "é".repeat(2200))).status());
    }

    @Test
    void badInputGetsA4xxJsonErrorAndChangesNothing() throws Exception {
        String user = user("fuzz");
        var before = quietSnapshot();
        record Case(String method, String path, String body, String contentType, int status, String code) {
        }
        List<Case> cases = List.of(
                new Case("PUT", "/v1/me", "{\"handle\":", "application/json", 400, "invalid_json"),
                new Case("PUT", "/v1/me", "[1,2]", "application/json", 400, "invalid_json"),
                new Case("PUT", "/v1/me", "{\"handle\":42}", "application/json", 400, "invalid_field"),
                new Case("PUT", "/v1/me", "{\"handle\":\"ok_name\",\"admin\":true}", "application/json", 400, "unknown_field"),
                new Case("PUT", "/v1/me", "{\"handle\":\"a\",\"handle\":\"b\"}", "application/json", 400, "invalid_json"),
                new Case("PUT", "/v1/me", "{\"handle\":\"no spaces!\"}", "application/json", 400, "invalid_handle"),
                new Case("PUT", "/v1/me", "{\"bio\":\"" + "b".repeat(151) + "\"}", "application/json", 400, "invalid_bio"),
                new Case("PUT", "/v1/me", "{\"displayName\":\"bad\\u0000name\"}", "application/json", 400, "invalid_displayName"),
                new Case("PUT", "/v1/me", "handle=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
                new Case("PUT", "/v1/me", "{\"bio\":\"" + "x".repeat(140_000) + "\"}", "application/json", 413, "body_too_large"),
                new Case("POST", "/v1/uploads", "{\"contentType\":\"image/jpeg\",\"contentLength\":\"10\"}", "application/json", 400, "invalid_field"),
                new Case("POST", "/v1/uploads", "{\"contentType\":\"image/jpeg\",\"contentLength\":1.5}", "application/json", 400, "invalid_field"),
                new Case("POST", "/v1/uploads", "{}", "application/json", 400, "missing_field"),
                new Case("POST", "/v1/posts", "{\"uploadId\":\"../../etc/passwd\"}", "application/json", 404, "upload_not_found"),
                new Case("POST", "/v1/posts", "{\"uploadId\":\"01JD3X9K2M4N5P6Q7R8S9T0V1W\"}", "application/json", 404, "upload_not_found"),
                new Case("GET", "/v1/posts/..%2F..%2Fetc", null, null, 404, "post_not_found"),
                new Case("GET", "/v1/posts/USER%23x", null, null, 404, "post_not_found"),
                new Case("GET", "/v1/users/a%23PROFILE", null, null, 404, "user_not_found"),
                new Case("GET", "/v1/users/%C3%28", null, null, 404, "route_not_found"),
                new Case("PATCH", "/v1/me", "{}", "application/json", 405, "method_not_allowed"),
                new Case("GET", "/v1/nothing/here", null, null, 404, "route_not_found"));
        for (Case c : cases) {
            Reply reply = api.send(c.method(), c.path(), user, c.body(), c.contentType());
            assertEquals(c.status(), reply.status(), c + " -> " + reply.body());
            assertEquals(c.code(), reply.errorCode(), c + " -> " + reply.body());
            assertFalse(reply.json().path("error").path("message").asText().isBlank());
        }
        Reply invalidUtf8 = api.sendBytes("PUT", "/v1/me", user,
                new byte[]{'{', '"', 'b', 'i', 'o', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "application/json");
        assertEquals(400, invalidUtf8.status(), invalidUtf8.body());
        assertEquals("invalid_utf8", invalidUtf8.errorCode());
        assertEquals(before, quietSnapshot());
    }

    @Test
    void nobodyChangesOrDeletesAnotherUsersThings() throws Exception {
        String owner = user("owner");
        String intruder = user("intruder");
        String postId = postBy(owner);
        String commentId = api.json("POST", owner, "/v1/posts/" + postId + "/comments", Map.of("text", "mine"))
                .json().path("id").asText();
        var before = quietSnapshot();

        assertEquals(403, api.delete(intruder, "/v1/posts/" + postId).status());
        assertEquals(403, api.delete(intruder, "/v1/posts/" + postId + "/comments/" + commentId).status());
        assertEquals(200, api.json("PUT", intruder, "/v1/me", Map.of("displayName", "changed")).status());
        assertEquals("owner", api.get(owner, "/v1/me").json().path("handle").asText().substring(0, 5));
        assertNotEquals("changed", api.get(owner, "/v1/me").json().path("displayName").asText());
        // Without a token, nothing is reachable.
        assertEquals(401, api.send("DELETE", "/v1/posts/" + postId, null, null, null).status());
        assertEquals(401, api.send("PUT", "/v1/me", null, "{\"handle\":\"x_y_z\"}", "application/json").status());

        var after = quietSnapshot();
        after.keySet().removeIf(k -> k.startsWith("USER#" + LocalJwtIssuer.subjectOf(intruder)));
        before.keySet().removeIf(k -> k.startsWith("USER#" + LocalJwtIssuer.subjectOf(intruder)));
        // The intruder's own search entries follow their own rename.
        after.entrySet().removeIf(e -> e.getKey().startsWith("SEARCH#")
                && LocalJwtIssuer.subjectOf(intruder).equals(e.getValue().get("userId").s()));
        before.entrySet().removeIf(e -> e.getKey().startsWith("SEARCH#")
                && LocalJwtIssuer.subjectOf(intruder).equals(e.getValue().get("userId").s()));
        assertEquals(before, after);
    }

    @Test
    void everyRouteRefusesCallersWithoutATokenAndWritesNeedAProfile() throws Exception {
        String id = "01JD3X9K2M4N5P6Q7R8S9T0V1W";
        List<List<String>> routes = List.of(
                List.of("GET", "/v1/me"), List.of("PUT", "/v1/me"), List.of("GET", "/v1/users/alice"),
                List.of("POST", "/v1/users/alice/follow"), List.of("DELETE", "/v1/users/alice/follow"),
                List.of("GET", "/v1/users/alice/followers"), List.of("GET", "/v1/users/alice/following"),
                List.of("GET", "/v1/users/alice/posts"), List.of("POST", "/v1/uploads"), List.of("POST", "/v1/posts"),
                List.of("GET", "/v1/posts/" + id), List.of("DELETE", "/v1/posts/" + id),
                List.of("PUT", "/v1/posts/" + id + "/like"), List.of("DELETE", "/v1/posts/" + id + "/like"),
                List.of("POST", "/v1/posts/" + id + "/comments"), List.of("GET", "/v1/posts/" + id + "/comments"),
                List.of("DELETE", "/v1/posts/" + id + "/comments/" + id), List.of("GET", "/v1/feed"));
        var before = quietSnapshot();
        for (List<String> route : routes) {
            Reply reply = api.send(route.get(0), route.get(1), null, "{}", "application/json");
            assertEquals(401, reply.status(), route.toString());
        }
        String ghost = "ghost_" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals("profile_not_found", api.json("POST", ghost, "/v1/uploads",
                Map.of("contentType", "image/jpeg", "contentLength", 5)).errorCode());
        assertEquals(before, quietSnapshot());
    }

    @Test
    void theFeedShowsReadyPostsOfItsEntriesAndNeverADeletedOrUnfinishedOne() throws Exception {
        String reader = user("reader");
        String author = user("writer");
        api.send("POST", "/v1/users/" + author + "/follow", reader, null, null);
        String ready = unfinishedPostBy(author);
        String deleted = unfinishedPostBy(author);
        String processing = unfinishedPostBy(author);
        var dynamo = stack.clients().dynamoDb();
        String table = stack.config().table();
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(Keys.post(ready).pk()),
                        "sk", AttributeValue.fromS(Keys.post(ready).sk())))
                .updateExpression("SET #s = :r").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("READY"))));
        for (String postId : List.of(ready, deleted, processing)) {
            var key = Keys.feedEntry(LocalJwtIssuer.subjectOf(reader), postId);
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(key.pk()),
                    "sk", AttributeValue.fromS(key.sk()), "postId", AttributeValue.fromS(postId),
                    "authorId", AttributeValue.fromS(LocalJwtIssuer.subjectOf(author)))));
        }
        assertEquals(204, api.delete(author, "/v1/posts/" + deleted).status());

        JsonNode items = api.get(reader, "/v1/feed").json().path("items");
        assertEquals(1, items.size(), items.toString());
        assertEquals(ready, items.get(0).path("id").asText());
        assertNotNull(items.get(0).path("media"));
    }


    @Test
    void onlyItsAuthorSeesAPostThatIsNotReady() throws Exception {
        String author = api.newUser("maker");
        String other = api.newUser("peer");
        String failed = api.post(author, api.upload(author, "not a photo at all".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "image/jpeg"), "a draft #unseen");
        ApiClient.await(() -> "failed".equals(api.get(author, "/v1/posts/" + failed).json().path("status").asText()));

        assertEquals(404, api.get(other, "/v1/posts/" + failed).status(), "another user reads no unfinished post");
        assertEquals(0, api.get(other, "/v1/users/" + author + "/posts").json().path("items").size());
        assertEquals(1, api.get(author, "/v1/users/" + author + "/posts").json().path("items").size(), "its author does");
        assertEquals(404, api.send("PUT", "/v1/posts/" + failed + "/like", other, null, null).status());
        assertEquals(404, api.json("POST", other, "/v1/posts/" + failed + "/comments", Map.of("text", "hi")).status());
        assertEquals(404, api.get(other, "/v1/posts/" + failed + "/comments").status());
        assertEquals(404, api.delete(other, "/v1/posts/" + failed).status(), "nor learns it exists by trying to delete it");
        assertEquals(0, api.get(author, "/v1/notifications").json().path("items").size(), "and its author hears of nothing");
    }

    @Test
    void postsOfOneUploadMadeAtOnceAreAllTheOnePost() throws Exception {
        String author = api.newUser("twin");
        String upload = api.upload(author, TestImages.jpeg(320, 240), "image/jpeg");
        List<Reply> replies = new java.util.concurrent.CopyOnWriteArrayList<>();

        ApiClient.forEachUser(java.util.Collections.nCopies(8, author), 8,
                user -> replies.add(api.json("POST", user, "/v1/posts", Map.of("uploadId", upload, "caption", "once"))));

        assertEquals(List.of(201), replies.stream().map(Reply::status).distinct().toList(),
                replies.stream().map(Reply::body).toList().toString());
        assertEquals(1, replies.stream().map(r -> r.json().path("id").asText()).distinct().count(), "one post");
        assertEquals(1, api.get(author, "/v1/users/" + author + "/posts").json().path("items").size());
    }

    @Test
    void aListOfPhotosKeepsItsEtagWhileNothingChangesSoRevalidationIs304() throws Exception {
        String author = api.newUser("lister");
        api.readyPost(author, "one");
        String path = "/v1/users/" + author + "/posts";
        Reply first = api.get(author, path);
        Thread.sleep(1_500);
        Reply again = api.get(author, path);

        String etag = first.raw().headers().firstValue("etag").orElseThrow();
        assertEquals(etag, again.raw().headers().firstValue("etag").orElseThrow(),
                "rendition URLs are signed per window, so an unchanged list reads the same a moment later");
        assertEquals(first.body(), again.body());
        Reply revalidated = api.getWith(author, path, Map.of("if-none-match", etag));
        assertEquals(304, revalidated.status());
    }
}
