package dev.glint.shared.feed;

import dev.glint.shared.experiments.Assignment;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.InMemoryExperimentStore;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped feed-ranking experiment decides the order within a page, never which posts a page holds. */
class FeedRankingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private static final Experiment RANKING = ExperimentConfig.shipped().find(Feeds.RANKING_EXPERIMENT).orElseThrow();

    /** Newest first: p5 (stranger), p4 (friend), p3 (stranger), p2 (friend), p1 (stranger); the reader liked the friend's posts. */
    private static final class FiveEntries extends FeedReadsOnly {
        final List<String> ids = List.of("p5", "p4", "p3", "p2", "p1");
        boolean askedForAffinity;

        private String author(String id) {
            return Set.of("p4", "p2").contains(id) ? "friend" : "stranger";
        }

        @Override
        public FeedPage page(String userId, int limit, Optional<String> afterPostId) {
            int from = afterPostId.map(a -> ids.indexOf(a) + 1).orElse(0);
            List<Entry> entries = ids.subList(from, Math.min(ids.size(), from + limit)).stream()
                    .map(id -> new Entry(id, author(id))).toList();
            return new FeedPage(entries, from + limit < ids.size(), Map.of());
        }

        @Override
        public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds) {
            throw new AssertionError("the feed asks with or without affinity");
        }

        @Override
        public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds, boolean withAffinity) {
            askedForAffinity |= withAffinity;
            Map<String, Post> posts = new HashMap<>();
            postIds.forEach(id -> posts.put(id, new Post(id, author(id), "", PostStatus.READY,
                    java.util.List.of(Photo.of("u", "k", "", null)), Instant.EPOCH, 0, 0, null, 1)));
            return new Hydrated(posts, Set.of("friend", "stranger"), Map.of(),
                    withAffinity ? Set.of("friend") : Set.of());
        }
    }

    private static String readerIn(String variant) {
        return IntStream.range(0, 100).mapToObj(i -> "reader-" + i)
                .filter(u -> Assignment.variantOf(RANKING, u).orElseThrow().equals(variant)).findFirst().orElseThrow();
    }

    private static List<List<String>> pages(String reader, FiveEntries store, InMemoryExperimentStore markers) {
        Feeds feeds = new Feeds(store, null, new Experiments(ExperimentConfig.shipped(), markers, CLOCK));
        List<List<String>> pages = new ArrayList<>();
        var page = feeds.feed(reader, 3, Optional.empty()).page();
        pages.add(page.items().stream().map(Post::id).toList());
        page = feeds.feed(reader, 3, page.next()).page();
        pages.add(page.items().stream().map(Post::id).toList());
        return pages;
    }

    @Test
    void theAffinityVariantLiftsFriendsPostsWithinEachPageAndPagesLikeTheChronologicalFeed() {
        InMemoryExperimentStore markers = new InMemoryExperimentStore();
        FiveEntries store = new FiveEntries();
        String reader = readerIn(Feeds.AFFINITY);

        assertEquals(List.of(List.of("p4", "p5", "p3"), List.of("p2", "p1")), pages(reader, store, markers));
        assertEquals(true, store.askedForAffinity);
        assertEquals(1, markers.exposures.size(), "the first page exposes, the next does not write again");
        assertEquals(Feeds.AFFINITY, markers.exposures.values().iterator().next().variant());
    }

    @Test
    void theControlIsTheChronologicalFeedWithoutAffinityInTheBatchRead() {
        InMemoryExperimentStore markers = new InMemoryExperimentStore();
        FiveEntries store = new FiveEntries();
        String reader = readerIn(Feeds.CHRONOLOGICAL);

        assertEquals(List.of(List.of("p5", "p4", "p3"), List.of("p2", "p1")), pages(reader, store, markers));
        assertEquals(false, store.askedForAffinity);
        assertEquals(Feeds.CHRONOLOGICAL, markers.exposures.values().iterator().next().variant());
    }
}
