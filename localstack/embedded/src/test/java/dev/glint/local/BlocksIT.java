package dev.glint.local;

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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocks and mutes end to end: a block removes the follows both ways and hides each side from the
 * other on every read path (profile, posts, post, comments, tags, notifications, search, people
 * lists, feed), a follow racing a block never survives it, mutes clear only the muter's feed and
 * notifications, and a feed page costs the same with 0 or 100 blocked and muted users.
 */
class BlocksIT {

    /** What the api function alone asks for: the pollers keep working beside a measured read. */
    private static final RequestCounter API_REQUESTS = new RequestCounter();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(1_000_000, 1_000_000)
            .withReadLimits(1_000_000, 1_000_000).withFunctionInterceptor(GlintResources.API_FUNCTION.name(), API_REQUESTS));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static void ok(Reply reply) {
        assertTrue(reply.status() == 200 || reply.status() == 201, reply.status() + " " + reply.body());
    }

    private static Reply put(String who, String path) {
        return api.send("PUT", path, who, null, null);
    }

    private static void follow(String follower, String followee) {
        ok(api.send("POST", "/v1/users/" + followee + "/follow", follower, null, null));
    }

    private static List<String> field(Reply reply, String path) {
        return reply.items(path);
    }

    private static List<String> feed(String reader) {
        return field(api.get(reader, "/v1/feed"), "id");
    }

    private static boolean followEdge(String follower, String followee) {
        var key = Keys.follows(LocalJwtIssuer.subjectOf(follower), LocalJwtIssuer.subjectOf(followee));
        return stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk())))).hasItem();
    }

    @Test
    void aBlockRemovesFollowsBothWaysAndHidesEachSideFromTheOtherOnEveryReadPath() throws Exception {
        String tag = "blk" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        String alice = api.newUser("alice_");
        String bob = api.newUser("bob_");
        String carol = api.newUser("carol_");
        follow(alice, bob);
        follow(bob, alice);
        follow(carol, alice);
        follow(carol, bob);
        String alicesPost = api.readyPost(alice, "sea #" + tag);
        String bobsPost = api.readyPost(bob, "hill #" + tag);
        String carolsPost = api.readyPost(carol, "sky");
        ok(put(bob, "/v1/posts/" + alicesPost + "/like"));
        ok(api.json("POST", bob, "/v1/posts/" + alicesPost + "/comments", Map.of("text", "bob on alice")));
        ok(api.json("POST", bob, "/v1/posts/" + carolsPost + "/comments", Map.of("text", "bob on carol")));
        ok(api.json("POST", alice, "/v1/posts/" + carolsPost + "/comments", Map.of("text", "alice on carol")));
        ok(put(alice, "/v1/posts/" + bobsPost + "/like"));
        ApiClient.await(() -> feed(alice).contains(bobsPost) && feed(bob).contains(alicesPost));
        ApiClient.await(() -> field(api.get(alice, "/v1/notifications"), "actor.handle").contains(bob)
                && field(api.get(bob, "/v1/notifications"), "actor.handle").contains(alice));

        Reply blocked = put(alice, "/v1/users/" + bob + "/block");
        assertEquals(200, blocked.status(), blocked.body());
        assertEquals("{\"blocked\":true,\"changed\":true}", blocked.body());
        assertEquals("{\"blocked\":true,\"changed\":false}", put(alice, "/v1/users/" + bob + "/block").body());

        // The follows are gone both ways, and the counts the stream keeps follow.
        assertFalse(followEdge(alice, bob));
        assertFalse(followEdge(bob, alice));
        ApiClient.await(() -> api.get(alice, "/v1/me").json().path("followers").asLong() == 1
                && api.get(alice, "/v1/me").json().path("following").asLong() == 0
                && api.get(bob, "/v1/me").json().path("followers").asLong() == 1);
        assertEquals(List.of(carol), field(api.get(alice, "/v1/users/" + alice + "/followers"), "handle"));
        assertEquals(List.of(), field(api.get(alice, "/v1/users/" + alice + "/following"), "handle"));

        for (String[] pair : List.of(new String[]{alice, bob}, new String[]{bob, alice})) {
            String me = pair[0];
            String other = pair[1];
            String othersPost = other.equals(alice) ? alicesPost : bobsPost;
            // Profile, posts and lists by handle: a handle nobody has.
            for (String path : List.of("", "/posts", "/followers", "/following")) {
                Reply reply = api.get(me, "/v1/users/" + other + path);
                assertEquals(404, reply.status(), path + " " + reply.body());
                assertEquals("user_not_found", reply.json().path("error").path("code").asText());
            }
            assertEquals(404, api.send("POST", "/v1/users/" + other + "/follow", me, null, null).status());
            assertEquals(404, api.get(me, "/v1/posts/" + othersPost).status());
            assertEquals(404, api.get(me, "/v1/posts/" + othersPost + "/comments").status());
            assertEquals(404, put(me, "/v1/posts/" + othersPost + "/like").status());
            assertEquals(404, api.json("POST", me, "/v1/posts/" + othersPost + "/comments", Map.of("text", "hi")).status());
            // Lists that hold the other: feed, comments of a third party's post, tags, search, notifications, people.
            assertFalse(feed(me).contains(othersPost), me + "'s feed");
            assertEquals(List.of(me), field(api.get(me, "/v1/posts/" + carolsPost + "/comments"), "author.handle"));
            assertFalse(field(api.get(me, "/v1/tags/" + tag + "/posts"), "id").contains(othersPost));
            assertEquals(List.of(), field(api.get(me, "/v1/search/users?q=" + other), "handle"));
            assertFalse(field(api.get(me, "/v1/notifications"), "actor.handle").contains(other));
            assertFalse(field(api.get(me, "/v1/users/" + carol + "/followers"), "handle").contains(other));
        }
        // Alice's own post: Bob's comment is hidden from her (it stays, and counts, for the post's comment count).
        assertEquals(List.of(), field(api.get(alice, "/v1/posts/" + alicesPost + "/comments"), "author.handle"));
        // Carol sees everyone as before.
        assertEquals(2, field(api.get(carol, "/v1/posts/" + carolsPost + "/comments"), "id").size());
        assertEquals(2, field(api.get(carol, "/v1/tags/" + tag + "/posts"), "id").size());
        assertEquals(List.of(bob), field(api.get(carol, "/v1/search/users?q=" + bob), "handle"));
        ApiClient.await(() -> feed(carol).containsAll(List.of(alicesPost, bobsPost)));

        // My blocks: mine only.
        assertEquals(List.of(bob), field(api.get(alice, "/v1/me/blocks"), "handle"));
        assertEquals(List.of(), field(api.get(bob, "/v1/me/blocks"), "handle"));

        // Unblocking shows each to the other again; the follows the block removed stay removed.
        assertEquals("{\"blocked\":false,\"changed\":true}", api.delete(alice, "/v1/users/" + bob + "/block").body());
        assertEquals(200, api.get(bob, "/v1/users/" + alice).status());
        assertEquals(200, api.get(alice, "/v1/posts/" + bobsPost).status());
        assertFalse(followEdge(alice, bob));
        assertFalse(followEdge(bob, alice));
        assertEquals(List.of(), field(api.get(alice, "/v1/me/blocks"), "handle"));
    }

    /** The notifications stored for a user, as the stream processor wrote them (actor ids). */
    private static List<String> storedActors(String user) {
        List<String> actors = new ArrayList<>();
        stack.clients().dynamoDb().queryPaginator(r -> r.tableName(stack.config().table()).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.notificationsPartition(LocalJwtIssuer.subjectOf(user))))))
                .items().forEach(item -> actors.add(item.getOrDefault("actorId", AttributeValue.fromS("?")).s()));
        return actors;
    }

    @Test
    void aLikeThatRacedABlockOrComesFromSomeoneMutedNotifiesNoOne() throws Exception {
        String author = api.newUser("author_");
        String blocked = api.newUser("racer_");
        String muted = api.newUser("muted_");
        String friend = api.newUser("friend_");
        String post = api.readyPost(author, "watched");
        ok(put(author, "/v1/users/" + blocked + "/block"));
        ok(put(author, "/v1/users/" + muted + "/mute"));
        // A like whose block check ran just before the block: the like item lands after it.
        new dev.glint.shared.aws.DynamoPostStore(stack.clients().dynamoDb(), stack.config().table())
                .like(post, LocalJwtIssuer.subjectOf(blocked));
        ok(put(muted, "/v1/posts/" + post + "/like"));
        ok(put(friend, "/v1/posts/" + post + "/like"));
        ApiClient.await(() -> api.get(author, "/v1/posts/" + post).json().path("likes").asLong() == 3);
        ApiClient.await(() -> storedActors(author).contains(LocalJwtIssuer.subjectOf(friend)));
        assertEquals(List.of(LocalJwtIssuer.subjectOf(friend)), storedActors(author),
                "neither the blocked's nor the muted's like was written as a notification");
    }

    @Test
    void badBlocksAndMutesAreRefusedWithWhatToFix() {
        String me = api.newUser("self_");
        for (String verb : List.of("PUT", "DELETE")) {
            for (String what : List.of("block", "mute")) {
                Reply self = api.send(verb, "/v1/users/" + me + "/" + what, me, null, null);
                assertEquals(400, self.status(), self.body());
                assertEquals("cannot_" + what + "_self", self.json().path("error").path("code").asText());
                Reply unknown = api.send(verb, "/v1/users/nobody_" + UUID.randomUUID().toString().substring(0, 6) + "/" + what,
                        me, null, null);
                assertEquals(404, unknown.status(), unknown.body());
                assertEquals("user_not_found", unknown.json().path("error").path("code").asText());
            }
        }
        assertEquals(List.of(), field(api.get(me, "/v1/me/blocks"), "handle"));
        assertEquals(List.of(), field(api.get(me, "/v1/me/mutes"), "handle"));
    }

    @Test
    void aFollowRacingABlockNeverLeavesAFollowAcrossIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 12; round++) {
                String blocker = api.newUser("blocker_");
                String other = api.newUser("racer_");
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> block = pool.submit(() -> {
                    start.await();
                    return put(blocker, "/v1/users/" + other + "/block").status();
                });
                Future<Integer> follow = pool.submit(() -> {
                    start.await();
                    int first = api.send("POST", "/v1/users/" + blocker + "/follow", other, null, null).status();
                    int back = api.send("POST", "/v1/users/" + other + "/follow", blocker, null, null).status();
                    return first * 1000 + back;
                });
                assertEquals(200, block.get());
                follow.get();
                assertFalse(followEdge(other, blocker), "round " + round + ": a follow of the blocker survived the block");
                assertFalse(followEdge(blocker, other), "round " + round + ": the blocker's follow survived the block");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMuteClearsOnlyTheMutersFeedAndNotifications() throws Exception {
        String muter = api.newUser("muter_");
        String loud = api.newUser("loud_");
        String friend = api.newUser("friend_");
        follow(muter, loud);
        follow(loud, muter);
        follow(friend, loud);
        String loudsPost = api.readyPost(loud, "loud");
        String mutersPost = api.readyPost(muter, "mine");
        ok(put(loud, "/v1/posts/" + mutersPost + "/like"));
        ApiClient.await(() -> feed(muter).contains(loudsPost) && feed(friend).contains(loudsPost));
        ApiClient.await(() -> field(api.get(muter, "/v1/notifications"), "actor.handle").contains(loud));

        assertEquals("{\"muted\":true,\"changed\":true}", put(muter, "/v1/users/" + loud + "/mute").body());
        assertFalse(feed(muter).contains(loudsPost));
        assertFalse(field(api.get(muter, "/v1/notifications"), "actor.handle").contains(loud));
        assertEquals(List.of(loud), field(api.get(muter, "/v1/me/mutes"), "handle"));
        // Nothing else changes: the follows stay, the profile and post are there, the others' views are untouched.
        assertTrue(followEdge(muter, loud) && followEdge(loud, muter));
        assertEquals(200, api.get(muter, "/v1/users/" + loud).status());
        assertEquals(200, api.get(muter, "/v1/posts/" + loudsPost).status());
        assertTrue(feed(friend).contains(loudsPost));
        assertTrue(feed(loud).contains(mutersPost));
        assertEquals(List.of(), field(api.get(loud, "/v1/me/mutes"), "handle"));

        assertEquals("{\"muted\":false,\"changed\":true}", api.delete(muter, "/v1/users/" + loud + "/mute").body());
        assertTrue(feed(muter).contains(loudsPost));
        assertTrue(field(api.get(muter, "/v1/notifications"), "actor.handle").contains(loud));
    }

    @Test
    void aFeedPageCostsTwoRequestsWithNoneOrAHundredBlockedAndMutedUsers() throws Exception {
        String reader = api.newUser("reader_");
        List<String> followed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String author = api.newUser("author_");
            follow(reader, author);
            followed.add(api.readyPost(author, "post " + i));
        }
        String mutedAuthor = api.newUser("muted_");
        follow(reader, mutedAuthor);
        String mutedPost = api.readyPost(mutedAuthor, "muted");
        ApiClient.await(() -> feed(reader).containsAll(followed) && feed(reader).contains(mutedPost));

        API_REQUESTS.reset();
        List<String> before = feed(reader);
        Map<String, Long> none = ApiClient.dynamoDbOnly(API_REQUESTS.snapshot());

        List<String> others = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            others.add(api.newUser("other_"));
        }
        ApiClient.forEachUser(others, 4, other -> ok(put(reader, "/v1/users/" + other + "/block")));
        // To a blocker the blocked is no user, so a mute of them is refused: 100 others are muted.
        List<String> muted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            muted.add(api.newUser("quiet_"));
        }
        ApiClient.forEachUser(muted, 4, other -> ok(put(reader, "/v1/users/" + other + "/mute")));
        ok(put(reader, "/v1/users/" + mutedAuthor + "/mute"));

        API_REQUESTS.reset();
        List<String> after = feed(reader);
        Map<String, Long> hundred = ApiClient.dynamoDbOnly(API_REQUESTS.snapshot());
        System.out.println("DynamoDB requests per feed page: 0 blocked or muted " + none
                + "; 100 blocked and 101 muted " + hundred);
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "feed-requests-with-blocks.txt"),
                "DynamoDB requests per feed page: 0 blocked or muted " + none + "; 100 blocked and 101 muted " + hundred + "\n");
        assertEquals(2, none.values().stream().mapToLong(Long::longValue).sum(), "0 blocked or muted: " + none);
        assertEquals(2, hundred.values().stream().mapToLong(Long::longValue).sum(), "100 blocked and muted: " + hundred);
        assertTrue(before.contains(mutedPost));
        assertFalse(after.contains(mutedPost));
        assertTrue(after.containsAll(followed));
    }
}
