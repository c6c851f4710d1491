package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Private accounts: requests, approvals and who reads what, on in-memory stores. */
class PrivacyTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryProfiles people = new InMemoryProfiles();
    private final InMemoryPosts posts = new InMemoryPosts(people);
    private final InMemorySafety blocks = new InMemorySafety(people);
    private final InMemoryPrivacy store = new InMemoryPrivacy(people, blocks);
    private final Accounts accounts = new Accounts(people, clock);
    private final List<String> followed = new ArrayList<>();
    private final FollowEvents events = new FollowEvents() {
        @Override
        public void followed(String followerId, String followeeId, Instant at) {
            followed.add(followerId + ">" + followeeId);
        }

        @Override
        public void unfollowed(String followerId, String followeeId) {
        }
    };
    private final Safety safety = new Safety(accounts, blocks, events, clock);
    private final Ids ids = new Ids(clock);
    private final Follows follows = new Follows(accounts, people, events, ids, clock);
    private final List<String> approvalsStarted = new ArrayList<>();
    private final Privacy privacy = new Privacy(accounts, store, follows, events, safety,
            approvalsStarted::add, ids, clock);
    private final Publishing publishing = new Publishing(accounts, posts, posts, posts, posts,
            (user, quota, day, limit) -> true, Publishing.DailyQuotas.DEFAULTS, ids, clock, safety.blocks(), privacy.authors());
    private final Engagement engagement = new Engagement(accounts, posts, safety.blocks(), privacy.authors(), ids, clock);

    @BeforeEach
    void users() {
        for (String user : List.of("own", "fan", "new", "out")) {
            accounts.putMe(user, Optional.of(user + "_h"), Optional.empty(), Optional.empty());
        }
        privacy.setPrivate("own", true);
    }

    private static SocialException refused(Runnable action) {
        return assertThrows(SocialException.class, action::run);
    }

    private Post readyPost(String author) {
        String id = ids.next();
        Post post = new Post(id, author, "", PostStatus.READY, List.of(Photo.of("u" + id, "k", "", null)), NOW, 0, 0, null, 1);
        posts.posts.put(id, post);
        return post;
    }

    @Test
    void followingAPrivateAccountAsksOnceAndTheApprovalIsAFollowLikeAnyOther() {
        assertEquals(new Privacy.Requested(true), privacy.follow("fan", "own_h"));
        assertEquals(new Privacy.Requested(false), privacy.follow("fan", "own_h"));
        assertFalse(follows.follows("fan", "own"));
        assertEquals(List.of(), followed, "a request tells the feed nothing");

        assertTrue(privacy.approve("own", "fan_h"));
        assertFalse(privacy.approve("own", "fan_h"), "approving twice changes nothing");
        assertTrue(follows.follows("fan", "own"));
        assertEquals(1, people.find("own", true).orElseThrow().followers());
        assertEquals(List.of("fan>own"), followed, "the feed back-fills as for a follow, once");
        // A follower follows as anyone: 200, nothing new.
        assertEquals(new Privacy.Followed(false), privacy.follow("fan", "own_h"));
        assertEquals(List.of(), privacy.requests("own", 20, Optional.empty()).items());
    }

    @Test
    void aPublicAccountIsFollowedAtOnce() {
        assertInstanceOf(Privacy.Followed.class, privacy.follow("fan", "new_h"));
        assertTrue(follows.follows("fan", "new"));
    }

    @Test
    void denyingOrWithdrawingRemovesTheRequestAndNothingElse() {
        privacy.follow("fan", "own_h");
        privacy.follow("new", "own_h");
        // (Their order, newest first, is the table's: PrivateAccountsIT; this clock stands still.)
        assertEquals(java.util.Set.of("new", "fan"), java.util.Set.copyOf(privacy.requests("own", 20, Optional.empty()).items()
                .stream().map(FollowEntry::userId).toList()));
        assertTrue(privacy.deny("own", "fan_h"));
        assertFalse(privacy.deny("own", "fan_h"));
        assertEquals("follow_request_not_found", refused(() -> privacy.approve("own", "fan_h")).code());
        assertTrue(privacy.unfollow("new", "own_h"), "withdrawn");
        assertFalse(privacy.unfollow("new", "own_h"));
        assertEquals(List.of(), privacy.requests("own", 20, Optional.empty()).items());
        assertFalse(follows.follows("fan", "own") || follows.follows("new", "own"));
        assertEquals(new Privacy.Requested(true), privacy.follow("fan", "own_h"), "a denied requester may ask again");
    }

    @Test
    void requestsAreRefusedAcrossABlockAndHiddenFromTheOwnersList() {
        privacy.follow("out", "own_h");
        safety.block("own", "out_h");
        assertEquals(List.of(), privacy.requests("own", 20, Optional.empty()).items());
        assertEquals("user_not_found", refused(() -> privacy.follow("out", "own_h")).code());
        assertEquals("user_not_found", refused(() -> privacy.approve("own", "out_h")).code());
        assertFalse(follows.follows("out", "own"));
    }

    @Test
    void makingTheAccountPublicStartsTheApprovalsWhichGoAPageAtATimeWhileItStaysPublic() {
        List<String> askers = new ArrayList<>();
        for (int i = 0; i < Privacy.APPROVAL_PAGE + 3; i++) {
            String user = "ask" + i;
            accounts.putMe(user, Optional.of(user + "_h"), Optional.empty(), Optional.empty());
            privacy.follow(user, "own_h");
            askers.add(user);
        }
        assertFalse(privacy.approvePendingPage("own"), "a private account's requests wait for their owner");
        assertEquals(List.of(), approvalsStarted);

        privacy.setPrivate("own", false);
        privacy.setPrivate("own", false);
        assertEquals(List.of("own"), approvalsStarted, "started once: the second call changed nothing");
        assertTrue(privacy.approvePendingPage("own"), "a full page: run again");
        assertEquals(Privacy.APPROVAL_PAGE, people.find("own", true).orElseThrow().followers());
        privacy.setPrivate("own", true);
        assertFalse(privacy.approvePendingPage("own"), "made private again: the rest wait");
        assertEquals(3, privacy.requests("own", 20, Optional.empty()).items().size());
        privacy.setPrivate("own", false);
        assertFalse(privacy.approvePendingPage("own"));
        assertFalse(privacy.approvePendingPage("own"), "a replay changes nothing");
        assertTrue(askers.stream().allMatch(asker -> follows.follows(asker, "own")));
        assertEquals(askers.size(), people.find("own", true).orElseThrow().followers());
        assertEquals(askers.size(), followed.size(), "each approved once");
    }

    @Test
    void aPrivateAccountsPostsAreNoPostsToAllButItsFollowersAndItsAuthor() {
        Post post = readyPost("own");
        privacy.follow("fan", "own_h");
        for (String stranger : List.of("new", "fan")) {
            assertEquals("post_not_found", refused(() -> publishing.post(post.id(), stranger)).code());
            assertEquals("post_not_found", refused(() -> engagement.like(stranger, post.id())).code());
            assertEquals("post_not_found", refused(() -> engagement.comment(stranger, post.id(), "hi")).code());
            assertEquals("post_not_found", refused(() -> engagement.comments(post.id(), stranger, 20, Optional.empty())).code());
            assertEquals("account_private", refused(() -> publishing.postsBy("own_h", stranger, 20, Optional.empty())).code());
            assertEquals("account_private", refused(() -> privacy.requireReadable(stranger, "own", "own_h")).code());
        }
        assertEquals(0, posts.likes.size());
        privacy.approve("own", "fan_h");
        for (String reader : List.of("own", "fan")) {
            assertEquals(post.id(), publishing.post(post.id(), reader).id());
            assertEquals(List.of(post.id()), publishing.postsBy("own_h", reader, 20, Optional.empty()).items().stream()
                    .map(Post::id).toList());
            privacy.requireReadable(reader, "own", "own_h");
        }
        engagement.like("fan", post.id());
        assertEquals(1, posts.likes.size());
        // Public again: everyone reads it.
        privacy.setPrivate("own", false);
        assertEquals(post.id(), publishing.post(post.id(), "new").id());
    }
}
