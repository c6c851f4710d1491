package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private accounts end to end: following one is a request its owner approves or denies (or the requester
 * withdraws); its posts reach a stranger and a pending requester on no read path (profile posts, post,
 * comments, likes, tags, feed, followers and following) while its approved followers and its author read
 * them all; a block removes pending requests both ways; making the account public approves every pending
 * request through the queue; repeats and replays change nothing; and a feed page costs what it did.
 */
class PrivateAccountsIT {

    /** What the api function alone asks for: the pollers keep working beside a measured read. */
    private static final RequestCounter API_REQUESTS = new RequestCounter();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(1_000_000, 1_000_000)
            .withReadLimits(1_000_000, 1_000_000).withFunctionInterceptor(GlintResources.API_FUNCTION.name(), API_REQUESTS));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static Reply follow(String who, String whom) {
        return api.send("POST", "/v1/users/" + whom + "/follow", who, null, null);
    }

    private static Reply setPrivate(String who, boolean locked) {
        Reply reply = api.json("PUT", who, "/v1/me", Map.of("private", locked));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(locked, reply.json().path("private").asBoolean());
        return reply;
    }

    private static Reply post(String who, String path) {
        return api.send("POST", path, who, null, null);
    }

    private static List<String> field(Reply reply, String path) {
        assertEquals(200, reply.status(), reply.body());
        return reply.items(path);
    }

    private static List<String> feed(String reader) {
        return field(api.get(reader, "/v1/feed"), "id");
    }

    private static List<String> requests(String owner) {
        return field(api.get(owner, "/v1/me/follow-requests"), "handle");
    }

    private static boolean exists(dev.glint.shared.aws.Key key) {
        return stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk())))).hasItem();
    }

    private static boolean followEdge(String follower, String followee) {
        return exists(Keys.follows(LocalJwtIssuer.subjectOf(follower), LocalJwtIssuer.subjectOf(followee)));
    }

    private static boolean requestEdge(String requester, String owner) {
        return exists(Keys.followRequest(LocalJwtIssuer.subjectOf(requester), LocalJwtIssuer.subjectOf(owner)));
    }

    private static String code(Reply reply) {
        return reply.json().path("error").path("code").asText();
    }

    private static List<String> kinds(String user, String actor) {
        List<String> out = new ArrayList<>();
        api.get(user, "/v1/notifications").json().path("items").forEach(item -> {
            if (item.path("actor").path("handle").asText().equals(actor)) {
                out.add(item.path("kind").asText());
            }
        });
        return out;
    }

    @Test
    void aPrivateAccountsPostsReachItsApprovedFollowersAndItsAuthorOnOnEveryReadPath() throws Exception {
        String tag = "prv" + UUID.randomUUID().toString().substring(0, 6);
        String owner = api.newUser("owner_");
        String stranger = api.newUser("stranger_");
        String pending = api.newUser("pending_");
        String follower = api.newUser("follower_");
        String publicAuthor = api.newUser("open_");
        String older = api.readyPost(owner, "before it was private #" + tag);

        Reply made = setPrivate(owner, true);
        assertTrue(api.get(owner, "/v1/me").json().path("private").asBoolean());
        assertEquals(made.json().path("handle").asText(), owner);

        // Following a private account asks; asking again changes nothing.
        Reply asked = follow(follower, owner);
        assertEquals(202, asked.status(), asked.body());
        assertEquals("{\"status\":\"requested\",\"following\":false,\"changed\":true}", asked.body());
        assertEquals("{\"status\":\"requested\",\"following\":false,\"changed\":false}", follow(follower, owner).body());
        assertEquals(202, follow(pending, owner).status());
        assertFalse(followEdge(follower, owner));
        assertEquals(List.of(pending, follower), requests(owner), "newest first");
        assertEquals(List.of(), requests(follower), "a requester sees none of the owner's requests");
        // Told by the stream processor, as of a follow (and pushed live): a moment later.
        ApiClient.await(() -> kinds(owner, follower).contains("follow_request"));
        assertEquals(List.of("follow_request"), kinds(owner, follower));

        Reply approved = post(owner, "/v1/me/follow-requests/" + follower + "/approve");
        assertEquals(200, approved.status(), approved.body());
        assertEquals("{\"approved\":true,\"changed\":true}", approved.body());
        assertEquals("{\"approved\":true,\"changed\":false}", post(owner, "/v1/me/follow-requests/" + follower + "/approve").body());
        assertTrue(followEdge(follower, owner));
        assertFalse(requestEdge(follower, owner));
        assertEquals(List.of(pending), requests(owner));
        ApiClient.await(() -> kinds(follower, owner).contains("follow_approved"));
        assertEquals(List.of("follow_approved"), kinds(follower, owner));
        // The same items, counts and back-fill as a follow: the follower's feed gets the owner's recent post.
        ApiClient.await(() -> api.get(owner, "/v1/me").json().path("followers").asLong() == 1
                && api.get(follower, "/v1/me").json().path("following").asLong() == 1);
        ApiClient.await(() -> feed(follower).contains(older));
        assertEquals(List.of(follower), field(api.get(owner, "/v1/users/" + owner + "/followers"), "handle"));

        String secret = api.readyPost(owner, "only for friends #" + tag);
        String open = api.readyPost(publicAuthor, "for everyone #" + tag);
        Reply ownersPost = api.get(owner, "/v1/posts/" + secret);
        assertEquals(200, ownersPost.status());
        ok(api.json("POST", follower, "/v1/posts/" + secret + "/comments", Map.of("text", "lovely")));
        ok(api.send("PUT", "/v1/posts/" + secret + "/like", follower, null, null));
        ApiClient.await(() -> feed(follower).contains(secret));
        ApiClient.await(() -> api.get(owner, "/v1/posts/" + secret).json().path("likes").asLong() == 1
                && api.get(owner, "/v1/posts/" + secret).json().path("comments").asLong() == 1);
        ApiClient.await(() -> field(api.get(owner, "/v1/tags/" + tag + "/posts"), "id").containsAll(List.of(secret, older, open)));
        String followersEtag = api.get(follower, "/v1/posts/" + secret).raw().headers().firstValue("etag").orElseThrow();

        // The author and the approved follower read every path.
        for (String reader : List.of(owner, follower)) {
            Reply view = api.get(reader, "/v1/posts/" + secret);
            assertEquals(200, view.status(), reader + " " + view.body());
            assertFalse(view.json().path("photos").path(0).path("media").isMissingNode(), "media URLs for " + reader);
            String cacheControl = view.raw().headers().firstValue("cache-control").orElse("");
            assertTrue(cacheControl.contains("private"), "no shared cache may keep it: " + cacheControl);
            assertTrue(field(api.get(reader, "/v1/users/" + owner + "/posts"), "id").containsAll(List.of(secret, older)));
            assertEquals(List.of(follower), field(api.get(reader, "/v1/posts/" + secret + "/comments"), "author.handle"));
            assertTrue(field(api.get(reader, "/v1/tags/" + tag + "/posts"), "id").containsAll(List.of(secret, older, open)));
            assertEquals(List.of(follower), field(api.get(reader, "/v1/users/" + owner + "/followers"), "handle"));
            assertEquals(200, api.get(reader, "/v1/users/" + owner + "/following").status());
        }
        assertTrue(feed(follower).containsAll(List.of(secret, older)));

        // The stranger and the pending requester: the profile (marked private), and nothing it posted or follows.
        String missing = "01JD3K8ZQ4X9V6R2M5N7P8T0AB";
        for (String reader : List.of(stranger, pending)) {
            Reply profile = api.get(reader, "/v1/users/" + owner);
            assertEquals(200, profile.status());
            assertTrue(profile.json().path("private").asBoolean());
            assertFalse(profile.json().path("followedByMe").asBoolean());
            assertEquals(reader.equals(pending), profile.json().path("followRequestedByMe").asBoolean(), reader);
            for (String list : List.of("/posts", "/followers", "/following")) {
                Reply refused = api.get(reader, "/v1/users/" + owner + list);
                assertEquals(403, refused.status(), list + " " + refused.body());
                assertEquals("account_private", code(refused));
            }
            for (String id : List.of(secret, older)) {
                // Exactly a missing post's answer, whatever the viewer holds.
                Reply view = api.get(reader, "/v1/posts/" + id);
                Reply none = api.get(reader, "/v1/posts/" + missing);
                assertEquals(404, view.status(), view.body());
                assertEquals(none.body().replace(missing, id), view.body());
                Reply revalidated = api.getWith(reader, "/v1/posts/" + id, Map.of("If-None-Match", followersEtag));
                assertEquals(404, revalidated.status(), "a borrowed ETag gets no 304");
                assertEquals(404, api.get(reader, "/v1/posts/" + id + "/comments").status());
                assertEquals("post_not_found", code(api.json("POST", reader, "/v1/posts/" + id + "/comments", Map.of("text", "hi"))));
                assertEquals("post_not_found", code(api.send("PUT", "/v1/posts/" + id + "/like", reader, null, null)));
                assertEquals("post_not_found", code(api.send("DELETE", "/v1/posts/" + id + "/like", reader, null, null)));
                assertEquals("post_not_found", code(api.send("DELETE", "/v1/posts/" + id, reader, null, null)));
            }
            List<String> tagged = field(api.get(reader, "/v1/tags/" + tag + "/posts"), "id");
            assertTrue(tagged.contains(open), "the public post stays listed");
            assertFalse(tagged.contains(secret) || tagged.contains(older), reader + " sees a private post by tag");
            assertFalse(feed(reader).contains(secret));
            // Search shows the account, marked private, and no post.
            Reply found = api.get(reader, "/v1/search/users?q=" + owner);
            assertEquals(List.of(owner), field(found, "handle"));
            assertTrue(found.json().path("items").path(0).path("private").asBoolean());
        }
        // Nothing the refused writes tried changed anything.
        Reply after = api.get(owner, "/v1/posts/" + secret);
        assertEquals(1, after.json().path("likes").asLong());
        assertEquals(1, after.json().path("comments").asLong());
        assertEquals(List.of(follower), field(api.get(owner, "/v1/posts/" + secret + "/comments"), "author.handle"));

        // Unfollowing ends it at once: the former follower is a stranger again.
        assertEquals("{\"following\":false,\"changed\":true}", api.delete(follower, "/v1/users/" + owner + "/follow").body());
        assertEquals(404, api.get(follower, "/v1/posts/" + secret).status());
        assertFalse(feed(follower).contains(secret));
        assertEquals(403, api.get(follower, "/v1/users/" + owner + "/posts").status());
    }

    private static void ok(Reply reply) {
        assertTrue(reply.status() == 200 || reply.status() == 201, reply.status() + " " + reply.body());
    }

    @Test
    void requestsAreDeniedWithdrawnAndRemovedByABlockEitherWay() throws Exception {
        String owner = api.newUser("owner_");
        String denied = api.newUser("denied_");
        String withdrawn = api.newUser("withdrawn_");
        String blocked = api.newUser("blocked_");
        String otherPrivate = api.newUser("locked_");
        setPrivate(owner, true);
        setPrivate(otherPrivate, true);

        assertEquals(202, follow(denied, owner).status());
        assertEquals("{\"denied\":true,\"changed\":true}", post(owner, "/v1/me/follow-requests/" + denied + "/deny").body());
        assertEquals("{\"denied\":true,\"changed\":false}", post(owner, "/v1/me/follow-requests/" + denied + "/deny").body());
        assertFalse(requestEdge(denied, owner));
        assertFalse(followEdge(denied, owner));
        assertFalse(api.get(denied, "/v1/users/" + owner).json().path("followRequestedByMe").asBoolean());
        Reply notPending = post(owner, "/v1/me/follow-requests/" + denied + "/approve");
        assertEquals(404, notPending.status(), notPending.body());
        assertEquals("follow_request_not_found", code(notPending));
        assertFalse(followEdge(denied, owner));

        assertEquals(202, follow(withdrawn, owner).status());
        assertEquals("{\"following\":false,\"changed\":true}", api.delete(withdrawn, "/v1/users/" + owner + "/follow").body());
        assertEquals("{\"following\":false,\"changed\":false}", api.delete(withdrawn, "/v1/users/" + owner + "/follow").body());
        assertFalse(requestEdge(withdrawn, owner));

        // A block removes pending requests both ways: the blocked's of the blocker, and the blocker's of the blocked.
        assertEquals(202, follow(blocked, owner).status());
        assertEquals(202, follow(owner, otherPrivate).status());
        assertEquals(202, follow(otherPrivate, owner).status());
        assertEquals(List.of(otherPrivate, blocked), requests(owner));
        ok(api.send("PUT", "/v1/users/" + blocked + "/block", owner, null, null));
        ok(api.send("PUT", "/v1/users/" + owner + "/block", otherPrivate, null, null));
        assertFalse(requestEdge(blocked, owner));
        assertFalse(requestEdge(owner, otherPrivate));
        assertFalse(requestEdge(otherPrivate, owner));
        assertEquals(List.of(), requests(owner));
        assertEquals(List.of(), requests(otherPrivate));
        // And none can be made across it.
        assertEquals("user_not_found", code(follow(blocked, owner)));
        assertFalse(requestEdge(blocked, owner));

        // A denied requester may ask again.
        assertEquals("{\"status\":\"requested\",\"following\":false,\"changed\":true}", follow(denied, owner).body());
        assertEquals(List.of(denied), requests(owner));
    }

    @Test
    void repeatedAndReplayedRequestsChangeNothing() throws Exception {
        String owner = api.newUser("owner_");
        String asker = api.newUser("asker_");
        setPrivate(owner, true);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Reply first = api.sendBytes("POST", "/v1/users/" + owner + "/follow", asker, null, null, key);
        Reply replay = api.sendBytes("POST", "/v1/users/" + owner + "/follow", asker, null, null, key);
        assertEquals(202, first.status());
        assertEquals(first.body(), replay.body());
        assertEquals("true", replay.raw().headers().firstValue("idempotent-replayed").orElse(""));
        assertEquals(List.of(asker), requests(owner));

        Map<String, String> approvalKey = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String approve = "/v1/me/follow-requests/" + asker + "/approve";
        Reply approved = api.sendBytes("POST", approve, owner, null, null, approvalKey);
        Reply again = api.sendBytes("POST", approve, owner, null, null, approvalKey);
        assertEquals("{\"approved\":true,\"changed\":true}", approved.body());
        assertEquals(approved.body(), again.body());
        assertEquals("true", again.raw().headers().firstValue("idempotent-replayed").orElse(""));
        // Once following, a follow is a follow: 200 as for anyone, changing nothing.
        assertEquals("{\"following\":true,\"changed\":false}", follow(asker, owner).body());
        ApiClient.await(() -> api.get(owner, "/v1/me").json().path("followers").asLong() == 1);
        assertEquals(List.of(asker), field(api.get(owner, "/v1/users/" + owner + "/followers"), "handle"));
        ApiClient.await(() -> kinds(asker, owner).contains("follow_approved"));
        assertEquals(List.of("follow_approved"), kinds(asker, owner), "told once");
        assertEquals(1, kinds(owner, asker).stream().filter("follow_request"::equals).count(), "told once");

        // Making the account private when it is changes nothing more.
        assertEquals(api.get(owner, "/v1/me").json().path("private").asBoolean(), true);
        setPrivate(owner, true);
        assertEquals(List.of(), requests(owner));
    }

    @Test
    void badPrivacyInputIsRefusedWithWhatToFixAndChangesNothing() {
        String owner = api.newUser("owner_");
        String before = api.get(owner, "/v1/me").body();
        for (Object value : List.of("yes", 1, List.of(true))) {
            Reply refused = api.json("PUT", owner, "/v1/me", Map.of("private", value));
            assertEquals(400, refused.status(), refused.body());
            assertEquals("invalid_field", code(refused));
            assertTrue(refused.json().path("error").path("message").asText().contains("private"));
        }
        assertEquals(before, api.get(owner, "/v1/me").body());
        String stranger = api.newUser("stranger_");
        Reply unknown = post(owner, "/v1/me/follow-requests/" + stranger + "/approve");
        assertEquals(404, unknown.status());
        assertEquals("follow_request_not_found", code(unknown));
        assertEquals(404, post(owner, "/v1/me/follow-requests/nobody_" + UUID.randomUUID().toString().substring(0, 6) + "/deny").status());
        assertFalse(followEdge(stranger, owner));
        // A public account is followed as ever.
        assertEquals("{\"following\":true,\"changed\":true}", follow(stranger, owner).body());
    }

    @Test
    void makingTheAccountPublicApprovesEveryPendingRequestThroughTheQueue() throws Exception {
        String owner = api.newUser("owner_");
        setPrivate(owner, true);
        String older = api.readyPost(owner, "from the private days");
        List<String> askers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            askers.add(api.newUser("asker_"));
        }
        ApiClient.forEachUser(askers, 4, asker -> assertEquals(202, follow(asker, owner).status()));
        assertEquals(20, requests(owner).size(), "a page");

        setPrivate(owner, false);
        // More than one page of approvals (25 a message): the job enqueues itself until none is left.
        ApiClient.await(() -> askers.stream().allMatch(asker -> followEdge(asker, owner)));
        assertEquals(List.of(), requests(owner));
        for (String asker : askers) {
            assertFalse(requestEdge(asker, owner));
        }
        ApiClient.await(() -> api.get(owner, "/v1/me").json().path("followers").asLong() == askers.size());
        ApiClient.await(() -> feed(askers.get(0)).contains(older) && kinds(askers.get(0), owner).contains("follow_approved"));
        // Public now: a new follower follows at once.
        String late = api.newUser("late_");
        assertEquals("{\"following\":true,\"changed\":true}", follow(late, owner).body());
        setPrivate(owner, false);
        assertEquals(List.of(), requests(owner));
    }

    @Test
    void aLiveSubscriptionToAPrivatePostsCountsIsForItsFollowersOnly() throws Exception {
        String owner = api.newUser("owner_");
        String follower = api.newUser("follower_");
        String stranger = api.newUser("stranger_");
        setPrivate(owner, true);
        assertEquals(202, follow(follower, owner).status());
        ok(post(owner, "/v1/me/follow-requests/" + follower + "/approve"));
        String postId = api.readyPost(owner, "counted quietly");
        java.time.Duration delivery = java.time.Duration.ofSeconds(2);
        try (SocketClient refused = SocketClient.connect(stack.webSocketEndpoint(), api.token(stranger), delivery);
             SocketClient allowed = SocketClient.connect(stack.webSocketEndpoint(), api.token(follower), delivery)) {
            JsonNode no = refused.subscribe("post:" + postId);
            assertEquals("topic_not_allowed", no.path("error").path("code").asText(), no.toString());
            JsonNode missing = refused.subscribe("post:01JD3K8ZQ4X9V6R2M5N7P8T0AB");
            assertEquals(missing.path("error").toString(), no.path("error").toString().replace(postId, "01JD3K8ZQ4X9V6R2M5N7P8T0AB"),
                    "refused as a missing post is");
            JsonNode yes = allowed.subscribe("post:" + postId);
            assertEquals("[\"post:" + postId + "\"]", yes.path("subscribed").toString(), yes.toString());
        }
    }

    @Test
    void aFeedPageCostsTwoRequestsWithPrivateAuthorsFollowed() throws Exception {
        String reader = api.newUser("reader_");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String author = api.newUser("author_");
            if (i == 0) {
                setPrivate(author, true);
                assertEquals(202, follow(reader, author).status());
                ok(post(author, "/v1/me/follow-requests/" + reader + "/approve"));
            } else {
                ok(follow(reader, author));
            }
            expected.add(api.readyPost(author, "post " + i));
        }
        ApiClient.await(() -> feed(reader).containsAll(expected));

        API_REQUESTS.reset();
        List<String> page = feed(reader);
        Map<String, Long> requests = ApiClient.dynamoDbOnly(API_REQUESTS.snapshot());
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "feed-requests-with-private-authors.txt"),
                "DynamoDB requests per feed page with a private author followed: " + requests + "\n");
        assertTrue(page.containsAll(expected));
        assertEquals(2, requests.values().stream().mapToLong(Long::longValue).sum(), requests.toString());
    }
}
