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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocks and mutes: their rules, on in-memory stores. */
class SafetyTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryProfiles people = new InMemoryProfiles();
    private final InMemoryPosts posts = new InMemoryPosts(people);
    private final InMemorySafety store = new InMemorySafety(people);
    private final Accounts accounts = new Accounts(people, clock);
    private final List<String> unfollowed = new ArrayList<>();
    private final Safety safety = new Safety(accounts, store, new FollowEvents() {
        @Override
        public void followed(String followerId, String followeeId, Instant at) {
        }

        @Override
        public void unfollowed(String followerId, String followeeId) {
            unfollowed.add(followerId + ">" + followeeId);
        }
    }, clock);
    private final Ids ids = new Ids(clock);
    private final Follows follows = new Follows(accounts, people, FollowEvents.NONE, ids, clock);
    private final Engagement engagement = new Engagement(accounts, posts, safety.blocks(), ids, clock);

    @BeforeEach
    void users() {
        for (String user : List.of("ann", "ben", "cat")) {
            accounts.putMe(user, Optional.of(user + "_h"), Optional.empty(), Optional.empty());
        }
    }

    private static SocialException refused(Runnable action) {
        return assertThrows(SocialException.class, action::run);
    }

    @Test
    void aBlockRemovesTheFollowsBothWaysAndTellsTheFeed() {
        follows.follow("ann", "ben_h");
        follows.follow("ben", "ann_h");
        follows.follow("cat", "ann_h");

        assertTrue(safety.block("ann", "ben_h"));
        assertFalse(safety.block("ann", "ben_h"), "blocking twice changes nothing");

        assertFalse(people.follows("ann", "ben"));
        assertFalse(people.follows("ben", "ann"));
        assertTrue(people.follows("cat", "ann"));
        assertEquals(List.of("ann>ben", "ben>ann"), unfollowed);
    }

    @Test
    void toEachSideTheOtherIsAHandleNobodyHas() {
        safety.block("ann", "ben_h");
        SocialException missing = refused(() -> safety.visibleOwner("ben", "nobody_h"));
        for (String[] pair : List.of(new String[]{"ben", "ann_h"}, new String[]{"ann", "ben_h"})) {
            SocialException blocked = refused(() -> safety.visibleOwner(pair[0], pair[1]));
            assertEquals(missing.kind(), blocked.kind());
            assertEquals(missing.code(), blocked.code());
            assertEquals(missing.getMessage().replace("nobody_h", pair[1]), blocked.getMessage());
        }
        // The blocked cannot block back, unblock the other's block or mute them: the blocker does not exist to them.
        assertEquals("user_not_found", refused(() -> safety.block("ben", "ann_h")).code());
        assertEquals("user_not_found", refused(() -> safety.unblock("ben", "ann_h")).code());
        assertEquals("user_not_found", refused(() -> safety.mute("ben", "ann_h")).code());
        assertEquals(List.of(), safety.blocks("ben", 20, Optional.empty()).items());
        assertEquals(List.of("ben"), safety.blocks("ann", 20, Optional.empty()).items().stream().map(FollowEntry::userId).toList());

        assertTrue(safety.unblock("ann", "ben_h"));
        assertEquals("ann", safety.visibleOwner("ben", "ann_h"));
    }

    @Test
    void oneselfCannotBeBlockedOrMuted() {
        assertEquals("cannot_block_self", refused(() -> safety.block("ann", "ann_h")).code());
        assertEquals("cannot_block_self", refused(() -> safety.unblock("ann", "ann_h")).code());
        assertEquals("cannot_mute_self", refused(() -> safety.mute("ann", "ann_h")).code());
        assertEquals("cannot_mute_self", refused(() -> safety.unmute("ann", "ann_h")).code());
        assertTrue(store.blocks.isEmpty() && store.mutes.isEmpty());
    }

    @Test
    void aBlockedUsersPostIsNoPostAndTheirCommentsLeaveEveryList() {
        Post anns = readyPost("ann");
        Post cats = readyPost("cat");
        engagement.comment("ben", cats.id(), "ben here");
        engagement.comment("ann", cats.id(), "ann here");
        engagement.comment("ben", anns.id(), "ben on ann's");
        safety.block("ann", "ben_h");

        SocialException missing = refused(() -> engagement.like("ben", "01JD3X9K2M4N5P6Q7R8S9T0V1Z"));
        SocialException like = refused(() -> engagement.like("ben", anns.id()));
        assertEquals(missing.code(), like.code());
        assertEquals("post_not_found", refused(() -> engagement.comment("ben", anns.id(), "hi")).code());
        assertEquals("post_not_found", refused(() -> engagement.comments(anns.id(), "ben", 20, Optional.empty())).code());
        assertEquals(List.of(), engagement.comments(anns.id(), "ann", 20, Optional.empty()).items());
        assertEquals(List.of("ann"), authors(engagement.comments(cats.id(), "ann", 20, Optional.empty()).items()));
        assertEquals(List.of("ben"), authors(engagement.comments(cats.id(), "ben", 20, Optional.empty()).items()));
        // (made in the same instant of a fixed clock, so in no particular order)
        assertEquals(List.of("ann", "ben"), authors(engagement.comments(cats.id(), "cat", 20, Optional.empty()).items())
                .stream().sorted().toList());
    }

    @Test
    void aMuteHidesOnlyFromTheMuterAndOnlyWhereAsked() {
        assertTrue(safety.mute("ann", "ben_h"));
        assertFalse(safety.mute("ann", "ben_h"));
        List<String> actors = List.of("ben", "cat");
        assertEquals(List.of("cat"), safety.visible("ann", actors, a -> a, true), "notifications and the feed");
        assertEquals(actors, safety.visible("ann", actors, a -> a, false), "everywhere else");
        assertEquals(actors, safety.visible("cat", actors, a -> a, true), "everyone else");
        assertEquals("ben", safety.visibleOwner("ann", "ben_h"));
        assertTrue(safety.unmute("ann", "ben_h"));
        assertEquals(actors, safety.visible("ann", actors, a -> a, true));
    }

    @Test
    void aMuteMadeBeforeABlockLeavesTheListAndCanStillBeUndone() {
        safety.mute("ann", "ben_h");
        safety.block("ben", "ann_h");
        assertEquals(List.of(), safety.mutes("ann", 20, Optional.empty()).items());
        assertTrue(safety.unmute("ann", "ben_h"));
        assertEquals("user_not_found", refused(() -> safety.unmute("ann", "ben_h")).code(), "nothing left to undo");
    }

    private static List<String> authors(List<Comment> comments) {
        return comments.stream().map(Comment::authorId).toList();
    }

    private Post readyPost(String author) {
        String id = ids.next();
        Post post = new Post(id, author, "", PostStatus.READY, List.of(Photo.of("u" + id, "k", "", null)), NOW, 0, 0, null, 1);
        posts.posts.put(id, post);
        return post;
    }
}
