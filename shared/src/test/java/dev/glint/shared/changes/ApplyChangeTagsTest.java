package dev.glint.shared.changes;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.reports.RollupStore;
import dev.glint.shared.social.NotificationStore;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.TagStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.testing.Ports.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A post's hashtags count in the day's report once, when it becomes ready; uploads that never do count none. */
class ApplyChangeTagsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final List<RollupStore.Event> counted = new ArrayList<>();

    private ApplyChange applyChange() {
        RollupStore rollups = only(RollupStore.class, (name, args) -> {
            if (name.equals("countAll")) {
                @SuppressWarnings("unchecked")
                List<RollupStore.Event> events = (List<RollupStore.Event>) args[0];
                counted.addAll(events);
            }
            return null;
        });
        return new ApplyChange(only(PostStore.class, (n, a) -> Optional.empty()), only(NotificationStore.class, (n, a) -> true),
                only(TagStore.class, (n, a) -> null), rollups, message -> { }, Ids.system(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Post post(PostStatus status, long version) {
        return new Post("01JD3X9K2M4N5P6Q7R8S9T0V1W", "author", "sunset at the pier #sunset #sea", status,
                java.util.List.of(Photo.of("u1", "k", "", null)), NOW, 0, 0,
                status == PostStatus.FAILED ? "not an image" : null, version);
    }

    private Map<String, Long> tagsCounted() {
        Map<String, Long> tags = new HashMap<>();
        counted.forEach(event -> event.tags().forEach((tag, n) -> tags.merge(tag, n, Long::sum)));
        return tags;
    }

    @Test
    void aPostThatNeverBecomesReadyCountsNoHashtag() {
        applyChange().acceptBatch(List.of(
                new TableChange.PostCreated("ev-1", post(PostStatus.PROCESSING, 1)),
                new TableChange.PostChanged("ev-2", post(PostStatus.PROCESSING, 1), post(PostStatus.FAILED, 2))));

        assertEquals(Map.of(), tagsCounted());
        assertEquals(1L, counted.get(0).increments().get("posts"), "the post itself is counted");
    }

    @Test
    void aReadyPostCountsEachHashtagOnceWhateverChangesAfter() {
        applyChange().acceptBatch(List.of(
                new TableChange.PostCreated("ev-1", post(PostStatus.PROCESSING, 1)),
                new TableChange.PostChanged("ev-2", post(PostStatus.PROCESSING, 1), post(PostStatus.READY, 2)),
                new TableChange.PostChanged("ev-3", post(PostStatus.READY, 2), post(PostStatus.READY, 3))));

        assertEquals(Map.of("sunset", 1L, "sea", 1L), tagsCounted());
    }

    @Test
    void aBecameReadyChangeDeliveredAgainAfterThePostWasDeletedDoesNotIndexItAgain() {
        List<String> indexed = new ArrayList<>();
        Map<String, Post> stored = new HashMap<>();
        ApplyChange apply = new ApplyChange(only(PostStore.class, (n, a) -> Optional.ofNullable(stored.get((String) a[0]))),
                only(NotificationStore.class, (n, a) -> true),
                only(TagStore.class, (n, a) -> {
                    if (n.equals("index")) {
                        indexed.add((String) a[0]);
                    }
                    return null;
                }), only(RollupStore.class, (n, a) -> null), message -> { }, Ids.system(), Clock.fixed(NOW, ZoneOffset.UTC));
        var becameReady = new TableChange.PostChanged("ev-2", post(PostStatus.PROCESSING, 1), post(PostStatus.READY, 2));

        stored.put(post(PostStatus.READY, 2).id(), post(PostStatus.READY, 2));
        apply.acceptBatch(List.of(becameReady));
        assertEquals(1, indexed.size(), "a ready post is indexed");

        stored.clear();
        apply.acceptBatch(List.of(becameReady));
        assertEquals(1, indexed.size(), "the replayed change found the post gone and indexed nothing");
    }
}
