package dev.glint.shared.changes;

import dev.glint.shared.experiments.Conversions;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.ports.AffinityStore;
import dev.glint.shared.ports.ChangeConsumer;
import dev.glint.shared.ports.NotificationStore;
import dev.glint.shared.ports.PostStore;
import dev.glint.shared.ports.RollupStore;
import dev.glint.shared.ports.TagStore;
import dev.glint.shared.reports.HyperLogLog;
import dev.glint.shared.social.Hashtags;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.Post;
import dev.glint.shared.stream.ChangeRecord;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the stream processor derives from the table's changes, a batch at a time:
 * <ul>
 *   <li>counts, each event once (a marker per event, one transaction per few dozen events): like and
 *       comment counts of posts and follower, following and post counts of users, one update per item
 *       per transaction, so a post liked thousands of times a second is not a hot item; report rollups
 *       per day and hour; active users in a sketch;</li>
 *   <li>notifications for likes, comments and follows (never for one's own actions, at most one per
 *       kind, actor and subject);</li>
 *   <li>the hashtag index of ready posts (removed with the post);</li>
 *   <li>experiments: whom each reader interacts with (the feed's affinity variant), conversions of
 *       exposed users, and the per-variant rollups of exposures and conversions, each marker counted once.</li>
 * </ul>
 * Every step is idempotent, so a replayed batch changes nothing.
 */
public final class ApplyChange implements ChangeConsumer {

    private final PostStore posts;
    private final NotificationStore notifications;
    private final TagStore tags;
    private final RollupStore rollups;
    private final Ids ids;
    private final Clock clock;
    private final Conversions conversions;
    private final AffinityStore affinity;

    /** Without experiments: nothing is recorded for them. */
    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags,
                       RollupStore rollups, Ids ids, Clock clock) {
        this(posts, notifications, tags, rollups, ids, clock,
                new Conversions(ExperimentConfig.none(), null, clock), interactions -> { });
    }

    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags,
                       RollupStore rollups, Ids ids, Clock clock, Conversions conversions, AffinityStore affinity) {
        this.conversions = conversions;
        this.affinity = affinity;
        this.posts = posts;
        this.notifications = notifications;
        this.tags = tags;
        this.rollups = rollups;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public void accept(ChangeRecord record) {
        acceptBatch(List.of(record));
    }

    @Override
    public void acceptBatch(List<ChangeRecord> records) {
        Map<String, Optional<Post>> postCache = new HashMap<>();
        List<ChangeRecord> applied = new ArrayList<>();
        List<AffinityStore.Interaction> interactions = new ArrayList<>();
        List<Conversions.Action> actions = new ArrayList<>();
        BatchFailure failure = null;
        for (int i = 0; i < records.size(); i++) {
            try {
                derive(records.get(i), postCache, interactions, actions);
                applied.add(records.get(i));
            } catch (RuntimeException e) {
                failure = new BatchFailure(i, e);
                break;
            }
        }
        try {
            affinity.record(interactions);
            conversions.apply(actions);
        } catch (RuntimeException e) {
            // Nothing counted yet; every step above is idempotent, so the batch is retried from its start.
            throw new BatchFailure(0, e);
        }
        // The records before a failure are applied: their counts too.
        count(applied);
        if (failure != null) {
            throw failure;
        }
    }

    private void derive(ChangeRecord record, Map<String, Optional<Post>> postCache,
                        List<AffinityStore.Interaction> interactions, List<Conversions.Action> actions) {
        Map<String, Object> image = image(record);
        String entity = text(image, "entity");
        if (entity == null) {
            return;
        }
        boolean insert = record.kind() == ChangeRecord.Kind.INSERT;
        switch (entity) {
            case "like" -> {
                if (insert) {
                    interacted(notifyAuthor(text(image, "postId"), text(image, "userId"), Notification.LIKE, postCache),
                            "likes", text(image, "userId"), image, interactions, actions);
                }
            }
            case "comment" -> {
                if (insert) {
                    interacted(notifyAuthor(text(image, "postId"), text(image, "authorId"), Notification.COMMENT, postCache),
                            "comments", text(image, "authorId"), image, interactions, actions);
                }
            }
            case "follow" -> {
                if (insert) {
                    String follower = text(image, "followerId");
                    notify(text(image, "followeeId"), Notification.FOLLOW, follower, follower);
                }
            }
            case "post" -> {
                indexTags(record);
                if (insert && text(image, "authorId") != null) {
                    actions.add(new Conversions.Action("posts", text(image, "authorId"), at(image)));
                }
            }
            default -> {
                // other entities derive nothing
            }
        }
    }

    /** A like or comment: a conversion candidate, and an interaction with the post's author. */
    private void interacted(Optional<Post> post, String metric, String actorId, Map<String, Object> image,
                            List<AffinityStore.Interaction> interactions, List<Conversions.Action> actions) {
        if (actorId == null) {
            return;
        }
        Instant at = at(image);
        actions.add(new Conversions.Action(metric, actorId, at));
        post.filter(p -> !p.authorId().equals(actorId))
                .ifPresent(p -> interactions.add(new AffinityStore.Interaction(actorId, p.authorId(), at)));
    }

    private Instant at(Map<String, Object> image) {
        String createdAt = text(image, "createdAt");
        return createdAt == null ? clock.instant() : Instant.parse(createdAt);
    }

    /**
     * Counts, each event once: new users, posts, likes, comments and hashtags per day and hour, a
     * post's likes and comments and a user's followers, following and posts (added or removed), and
     * the day's active users.
     */
    private void count(List<ChangeRecord> records) {
        List<RollupStore.Event> events = new ArrayList<>();
        Map<String, HyperLogLog> active = new LinkedHashMap<>();
        for (ChangeRecord record : records) {
            Map<String, Object> image = image(record);
            String entity = String.valueOf(text(image, "entity"));
            boolean insert = record.kind() == ChangeRecord.Kind.INSERT;
            boolean remove = record.kind() == ChangeRecord.Kind.REMOVE;
            if (!insert && !remove) {
                continue;
            }
            Map<String, Long> increments = new LinkedHashMap<>();
            List<RollupStore.CounterDelta> counters = new ArrayList<>();
            long delta = insert ? 1 : -1;
            String actor = null;
            Optional<RollupStore.VariantDelta> variant = Optional.empty();
            switch (entity) {
                case "exposure" -> {
                    if (insert) {
                        variant = Optional.of(new RollupStore.VariantDelta(text(image, "experimentId"),
                                text(image, "variant"), Map.of("exposures", 1L)));
                    }
                }
                case "conversion" -> {
                    if (insert) {
                        variant = Optional.of(new RollupStore.VariantDelta(text(image, "experimentId"),
                                text(image, "variant"), Map.of("conversions:" + text(image, "metric"), 1L)));
                    }
                }
                case "profile" -> {
                    if (insert) {
                        increments.put("newUsers", 1L);
                        actor = text(image, "userId");
                    }
                }
                case "post" -> {
                    counters.add(RollupStore.CounterDelta.of(RollupStore.Subject.USER, text(image, "authorId"), "posts", delta));
                    if (insert) {
                        increments.put("posts", 1L);
                        Hashtags.of(text(image, "caption")).forEach(tag -> increments.put("tag:" + tag, 1L));
                        actor = text(image, "authorId");
                    }
                }
                case "follow" -> {
                    counters.add(RollupStore.CounterDelta.of(RollupStore.Subject.USER, text(image, "followerId"), "following", delta));
                    counters.add(RollupStore.CounterDelta.of(RollupStore.Subject.USER, text(image, "followeeId"), "followers", delta));
                }
                case "like" -> {
                    counters.add(RollupStore.CounterDelta.of(RollupStore.Subject.POST, text(image, "postId"), "likes", delta));
                    if (insert) {
                        increments.put("likes", 1L);
                        actor = text(image, "userId");
                    }
                }
                case "comment" -> {
                    counters.add(RollupStore.CounterDelta.of(RollupStore.Subject.POST, text(image, "postId"), "comments", delta));
                    if (insert) {
                        increments.put("comments", 1L);
                        actor = text(image, "authorId");
                    }
                }
                default -> {
                    continue;
                }
            }
            counters.removeIf(counter -> counter.id() == null);
            if (increments.isEmpty() && counters.isEmpty() && variant.isEmpty()) {
                continue;
            }
            String createdAt = text(image, "createdAt");
            Instant at = createdAt == null ? clock.instant() : Instant.parse(createdAt);
            String day = Hashtags.day(at);
            events.add(new RollupStore.Event(record.eventId(), day,
                    String.format("%02d", at.atZone(ZoneOffset.UTC).getHour()), increments, counters, variant));
            if (actor != null) {
                active.computeIfAbsent(day, d -> new HyperLogLog()).add(actor);
            }
        }
        rollups.countAll(events);
        active.forEach(rollups::mergeActive);
    }

    private Optional<Post> notifyAuthor(String postId, String actorId, String kind, Map<String, Optional<Post>> postCache) {
        Optional<Post> post = postCache.computeIfAbsent(postId,
                id -> posts.find(id, false).or(() -> posts.find(id, true)));
        post.ifPresent(p -> notify(p.authorId(), kind, actorId, postId));
        return post;
    }

    private void notify(String userId, String kind, String actorId, String subjectId) {
        if (userId == null || actorId == null || userId.equals(actorId)) {
            return;
        }
        notifications.add(userId, new Notification(ids.next(), kind, actorId, subjectId, clock.instant()));
    }

    private void indexTags(ChangeRecord record) {
        String postId = text(image(record), "postId");
        if (postId == null || !Ids.valid(postId)) {
            return;
        }
        String day = Hashtags.day(Ids.timeOf(postId));
        boolean wasReady = "READY".equals(text(record.oldImage(), "status"));
        boolean isReady = "READY".equals(text(record.newImage(), "status"));
        if (isReady && !wasReady) {
            tags.index(postId, Hashtags.of(text(record.newImage(), "caption")), day);
        }
        if (wasReady && !isReady) {
            tags.unindex(postId, Hashtags.of(text(record.oldImage(), "caption")), day);
        }
    }

    private static Map<String, Object> image(ChangeRecord record) {
        return record.kind() == ChangeRecord.Kind.REMOVE ? record.oldImage() : record.newImage();
    }

    private static String text(Map<String, Object> image, String name) {
        Object value = image.get(name);
        return value instanceof String s ? s : null;
    }
}
