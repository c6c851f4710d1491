package dev.glint.shared.feed;

import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.glint.shared.testing.Ports.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which celebrities a feed pulls from: the most recently followed, and none the reader unfollowed. */
class CelebrityFeedsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");


    @Test
    void aReaderOfManyCelebritiesIsServedTheMostRecentlyFollowed() {
        // 25 celebrities followed in the order of their ids: c00 first, c24 last. The 20 smallest ids
        // (c00-c19) are not the 20 followed most recently (c05-c24).
        Map<String, Instant> followed = new HashMap<>();
        for (int i = 0; i < 25; i++) {
            followed.put(String.format("c%02d", i), T0.plusSeconds(i * 60L));
        }
        FeedReadsOnly store = new FeedReadsOnly() {
            @Override
            public FeedPage page(String userId, int limit, Optional<String> afterPostId) {
                return new FeedPage(List.of(), false, followed);
            }

            @Override
            public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds) {
                return new Hydrated(Map.of(), Set.of(), Map.of());
            }
        };
        Set<String> pulled = new LinkedHashSet<>();
        PostStore posts = only(PostStore.class, (method, args) -> {
            pulled.add((String) args[0]);
            return new PostStore.Recent(List.of(), false);
        });

        new Feeds(store, posts).feed("reader", 20, Optional.empty());

        Set<String> newest = new LinkedHashSet<>();
        for (int i = 25 - Feeds.MAX_CELEBRITIES; i < 25; i++) {
            newest.add(String.format("c%02d", i));
        }
        assertEquals(newest, pulled, "the 20 followed most recently, not the 20 smallest ids");
    }

    @Test
    void anUnfollowForgetsTheCelebrityWhateverTheirCountReadsNow() {
        List<String> forgotten = new ArrayList<>();
        FeedReadsOnly feeds = new FeedReadsOnly() {
            @Override
            public void unfollowCelebrity(String userId, String celebrityId) {
                forgotten.add(userId + ">" + celebrityId);
            }

            @Override
            public FeedPage page(String userId, int limit, Optional<String> afterPostId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds) {
                throw new UnsupportedOperationException();
            }
        };
        // The stream-kept count has fallen far below the threshold since the reader followed.
        ProfileStore profiles = only(ProfileStore.class, (method, args) ->
                Optional.of(new Profile("star", "star", "S", "", 3, 0, 0, T0, 1)));
        TaskQueue tasks = message -> { };

        new FeedFollows(profiles, feeds, tasks, 10_000).unfollowed("reader", "star");

        assertEquals(List.of("reader>star"), forgotten);
    }
}
