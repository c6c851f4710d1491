package dev.glint.shared.changes;

import dev.glint.shared.experiments.Conversions;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.feed.AffinityStore;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.PurgeJob;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.reports.HyperLogLog;
import dev.glint.shared.reports.RollupStore.CounterDelta;
import dev.glint.shared.reports.RollupStore.Subject;
import dev.glint.shared.reports.RollupStore;
import dev.glint.shared.social.Hashtags;
import dev.glint.shared.social.Blocks;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.TagStore;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the stream processor derives from the table's changes, a batch at a time:
 * <ul>
 *   <li>counts, each change once (a marker per event, one transaction per few dozen events): like and
 *       comment counts of posts and follower, following and post counts of users, one update per item
 *       per transaction, so a post liked thousands of times a second is not a hot item; report rollups
 *       per day and hour; active users in a sketch;</li>
 *   <li>notifications for likes, comments and follows (never for one's own actions, at most one per
 *       kind, actor and subject), and to the owner of what moderators took down;</li>
 *   <li>the hashtag index of ready posts (removed with the post);</li>
 *   <li>a deleted post's purge (its renditions, comments and likes), asked for on the media queue;</li>
 *   <li>experiments: whom each reader interacts with (the feed's affinity variant), conversions of
 *       exposed users, and the per-variant rollups of exposures and conversions, each marker counted once;
 *       likes and follows made and undone under each variant, for the unlike and unfollow guardrails.</li>
 * </ul>
 * Every step is idempotent, so a replayed batch changes nothing.
 */
public final class ApplyChange implements ChangeConsumer {

    private final PostStore posts;
    private final NotificationStore notifications;
    private final TagStore tags;
    private final RollupStore rollups;
    private final TaskQueue tasks;
    private final Ids ids;
    private final Clock clock;
    private final Conversions conversions;
    private final AffinityStore affinity;
    private final Blocks hidden;

    /** Without experiments: nothing is recorded for them. */
    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags,
                       RollupStore rollups, TaskQueue tasks, Ids ids, Clock clock) {
        this(posts, notifications, tags, rollups, tasks, ids, clock,
                new Conversions(ExperimentConfig.none(), null), interactions -> { });
    }

    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags, RollupStore rollups,
                       TaskQueue tasks, Ids ids, Clock clock, Conversions conversions, AffinityStore affinity) {
        this(posts, notifications, tags, rollups, tasks, ids, clock, conversions, affinity, Blocks.NONE);
    }

    /**
     * @param hidden of an actor, whether the user to notify no longer hears of them: blocked either way,
     *               or muted by the user. Such a notification is never written (nor pushed live); it can
     *               only come of a like or comment that raced a block, or of anything while muted.
     */
    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags, RollupStore rollups,
                       TaskQueue tasks, Ids ids, Clock clock, Conversions conversions, AffinityStore affinity,
                       Blocks hidden) {
        this.hidden = hidden;
        this.tasks = tasks;
        this.conversions = conversions;
        this.affinity = affinity;
        this.posts = posts;
        this.notifications = notifications;
        this.tags = tags;
        this.rollups = rollups;
        this.ids = ids;
        this.clock = clock;
    }

    /** What a batch derives as it goes, written once at its end. */
    private static final class Derived {
        final Map<String, Optional<Post>> postCache = new HashMap<>();
        final List<AffinityStore.Interaction> interactions = new ArrayList<>();
        final List<Conversions.Action> actions = new ArrayList<>();
        final List<RollupStore.Event> events = new ArrayList<>();
        final Map<String, HyperLogLog> active = new LinkedHashMap<>();
    }

    @Override
    public void accept(TableChange change) {
        acceptBatch(List.of(change));
    }

    @Override
    public void acceptBatch(List<TableChange> changes) {
        Derived derived = new Derived();
        BatchFailure failure = null;
        for (int i = 0; i < changes.size(); i++) {
            try {
                apply(changes.get(i), derived);
            } catch (RuntimeException e) {
                failure = new BatchFailure(i, e);
                break;
            }
        }
        try {
            affinity.record(derived.interactions);
            conversions.apply(derived.actions);
        } catch (RuntimeException e) {
            // Nothing counted yet; every step above is idempotent, so the batch is retried from its start.
            throw new BatchFailure(0, e);
        }
        // The changes before a failure are applied: their counts too.
        rollups.countAll(derived.events);
        derived.active.forEach(rollups::mergeActive);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * One change: its notifications and index entries now, its interactions, conversions and counts
     * for the end of the batch (added last, so a change that fails adds none).
     */
    private void apply(TableChange change, Derived derived) {
        if (change instanceof TableChange.LikeAdded like) {
            Optional<Post> post = notifyAuthor(like.postId(), like.userId(), Notification.LIKE, derived);
            interacted(post, "likes", like.userId(), like.at(), derived);
            count(change, like.at(), Map.of("likes", 1L), List.of(CounterDelta.of(Subject.POST, like.postId(), "likes", 1)),
                    like.userId(), derived);
            guardrails(change, Conversions.Engagement.LIKED, like.userId(), like.at(), derived);
        } else if (change instanceof TableChange.LikeRemoved like) {
            count(change, like.at(), Map.of(), List.of(CounterDelta.of(Subject.POST, like.postId(), "likes", -1)), null, derived);
            guardrails(change, Conversions.Engagement.UNLIKED, like.userId(), like.at(), derived);
        } else if (change instanceof TableChange.CommentAdded added) {
            var comment = added.comment();
            Optional<Post> post = notifyAuthor(comment.postId(), comment.authorId(), Notification.COMMENT, derived);
            interacted(post, "comments", comment.authorId(), comment.createdAt(), derived);
            count(change, comment.createdAt(), Map.of("comments", 1L),
                    List.of(CounterDelta.of(Subject.POST, comment.postId(), "comments", 1)), comment.authorId(), derived);
        } else if (change instanceof TableChange.CommentRemoved removed) {
            var comment = removed.comment();
            count(change, comment.createdAt(), Map.of(),
                    List.of(CounterDelta.of(Subject.POST, comment.postId(), "comments", -1)), null, derived);
        } else if (change instanceof TableChange.FollowRequested request) {
            notify(request.ownerId(), Notification.FOLLOW_REQUEST, request.requesterId(), request.requesterId());
        } else if (change instanceof TableChange.FollowAdded follow) {
            notify(follow.followeeId(), Notification.FOLLOW, follow.followerId(), follow.followerId());
            if (follow.approved()) {
                notify(follow.followerId(), Notification.FOLLOW_APPROVED, follow.followeeId(), follow.followeeId());
            }
            count(change, follow.at(), Map.of(), follows(follow.followerId(), follow.followeeId(), 1), null, derived);
            guardrails(change, Conversions.Engagement.FOLLOWED, follow.followerId(), follow.at(), derived);
        } else if (change instanceof TableChange.FollowRemoved follow) {
            count(change, follow.at(), Map.of(), follows(follow.followerId(), follow.followeeId(), -1), null, derived);
            guardrails(change, Conversions.Engagement.UNFOLLOWED, follow.followerId(), follow.at(), derived);
        } else if (change instanceof TableChange.PostCreated created) {
            Post post = created.post();
            indexTags(null, post);
            derived.actions.add(new Conversions.Action("posts", post.authorId(), post.createdAt()));
            count(change, post.createdAt(), Map.of("posts", 1L), List.of(CounterDelta.of(Subject.USER, post.authorId(), "posts", 1)),
                    post.authorId(), derived);
        } else if (change instanceof TableChange.PostChanged changed) {
            indexTags(changed.before(), changed.after());
            if (becameReady(changed.before(), changed.after())) {
                // A post's hashtags count on its day once it is ready: uploads that never become photos count none.
                Map<String, Long> tags = new LinkedHashMap<>();
                Hashtags.of(changed.after().caption()).forEach(tag -> tags.put(tag, 1L));
                if (!tags.isEmpty()) {
                    Instant at = changed.after().createdAt();
                    derived.events.add(new RollupStore.Event(change.eventId(), Hashtags.day(at), hour(at), Map.of(), tags,
                            List.of(), Optional.empty()));
                }
            }
        } else if (change instanceof TableChange.PostDeleted deleted) {
            Post post = deleted.post();
            indexTags(post, null);
            tasks.send(PurgeJob.of(post.id()));
            count(change, post.createdAt(), Map.of(), List.of(CounterDelta.of(Subject.USER, post.authorId(), "posts", -1)),
                    null, derived);
        } else if (change instanceof TableChange.ProfileCreated profile) {
            count(change, profile.at(), Map.of("newUsers", 1L), List.of(), profile.userId(), derived);
        } else if (change instanceof TableChange.ExposureRecorded exposure) {
            var e = exposure.exposure();
            variant(change, new RollupStore.VariantDelta(e.experimentId(), e.revision(), e.variant(), e.split(),
                    Map.of("exposures", 1L)), derived);
        } else if (change instanceof TableChange.ConversionRecorded conversion) {
            var c = conversion.conversion();
            variant(change, new RollupStore.VariantDelta(c.experimentId(), c.revision(), c.variant(), List.of(),
                    Map.of("conversions:" + c.metric(), 1L)), derived);
        } else if (change instanceof TableChange.Moderated moderated) {
            if (moderated.takedown()) {
                // The owner is told once (one notification per kind, actor and subject), whoever they blocked or muted;
                // a dismissal tells nobody.
                String kind = switch (moderated.kind()) {
                    case "POST" -> Notification.POST_REMOVED;
                    case "COMMENT" -> Notification.COMMENT_REMOVED;
                    default -> Notification.ACCOUNT_SUSPENDED;
                };
                notifications.add(moderated.ownerId(), new Notification(ids.next(), kind, Notification.MODERATORS,
                        moderated.subjectId(), clock.instant()));
            }
        } else if (!(change instanceof TableChange.Unrelated)) {
            throw new IllegalArgumentException("no rule for " + change.getClass().getSimpleName());
        }
    }

    private static List<CounterDelta> follows(String followerId, String followeeId, long delta) {
        return List.of(CounterDelta.of(Subject.USER, followerId, "following", delta),
                CounterDelta.of(Subject.USER, followeeId, "followers", delta));
    }

    /** A like or comment: a conversion candidate, and an interaction with the post's author. */
    private static void interacted(Optional<Post> post, String metric, String actorId, Instant at, Derived derived) {
        derived.actions.add(new Conversions.Action(metric, actorId, at));
        post.filter(p -> !p.authorId().equals(actorId))
                .ifPresent(p -> derived.interactions.add(new AffinityStore.Interaction(actorId, p.authorId(), at)));
    }

    /**
     * Counts one change once: its increments to the day's and the hour's rollups, its changes to the
     * counts of posts and users, and its actor among the day's active users.
     */
    private static void count(TableChange change, Instant at, Map<String, Long> increments, List<CounterDelta> counters,
                              String actor, Derived derived) {
        String day = Hashtags.day(at);
        derived.events.add(new RollupStore.Event(change.eventId(), day, hour(at), increments, counters));
        if (actor != null) {
            derived.active.computeIfAbsent(day, d -> new HyperLogLog()).add(actor);
        }
    }

    /** Counts an experiment marker's insertion into its revision's variant rollup, once. */
    private void variant(TableChange change, RollupStore.VariantDelta delta, Derived derived) {
        Instant now = clock.instant();
        derived.events.add(new RollupStore.Event(change.eventId(), Hashtags.day(now), hour(now), Map.of(), Map.of(),
                List.of(), Optional.of(delta)));
    }

    /**
     * A like's or follow's guardrail counts, each under its own event id (the change's, suffixed with the
     * experiment), so a redelivered change counts nothing twice, as every other count.
     */
    private void guardrails(TableChange change, Conversions.Engagement engagement, String userId, Instant madeAt,
                            Derived derived) {
        Instant now = clock.instant();
        for (Conversions.GuardrailCount count : conversions.guardrailCounts(engagement, userId, madeAt, now)) {
            derived.events.add(new RollupStore.Event(change.eventId() + ":guardrail:" + count.experimentId(),
                    Hashtags.day(now), hour(now), Map.of(), Map.of(), List.of(), Optional.of(new RollupStore.VariantDelta(
                    count.experimentId(), count.revision(), count.variant(), List.of(), Map.of(count.count(), 1L)))));
        }
    }

    private static String hour(Instant at) {
        return String.format("%02d", at.atZone(ZoneOffset.UTC).getHour());
    }

    private Optional<Post> notifyAuthor(String postId, String actorId, String kind, Derived derived) {
        Optional<Post> post = derived.postCache.computeIfAbsent(postId,
                id -> posts.find(id, false).or(() -> posts.find(id, true)));
        post.ifPresent(p -> notify(p.authorId(), kind, actorId, postId));
        return post;
    }

    private void notify(String userId, String kind, String actorId, String subjectId) {
        if (userId.equals(actorId) || !hidden.hidden(userId, List.of(actorId)).isEmpty()) {
            return;
        }
        notifications.add(userId, new Notification(ids.next(), kind, actorId, subjectId, clock.instant()));
    }

    private static boolean becameReady(Post before, Post after) {
        return after.status() == PostStatus.READY && before.status() != PostStatus.READY;
    }

    /** Ready posts are in the index under their tags and day; a post that stops being ready leaves it. */
    private void indexTags(Post before, Post after) {
        Post any = after != null ? after : before;
        if (!Ids.valid(any.id())) {
            return;
        }
        String day = Hashtags.day(Ids.timeOf(any.id()));
        boolean wasReady = before != null && before.status() == PostStatus.READY;
        boolean isReady = after != null && after.status() == PostStatus.READY;
        // A change delivered again after the post was deleted (a replayed batch) must not index it again:
        // the post's current item decides. One strongly consistent read per post that becomes ready.
        if (isReady && !wasReady && posts.find(after.id(), true).filter(p -> p.status() == PostStatus.READY).isPresent()) {
            tags.index(after.id(), Hashtags.of(after.caption()), day);
        }
        if (wasReady && !isReady) {
            tags.unindex(before.id(), Hashtags.of(before.caption()), day);
        }
        if (wasReady && isReady && !before.caption().equals(after.caption())) {
            // The author edited the caption: the tags it lost leave the index, the ones it gained join,
            // as far as the post's current caption still agrees (a replayed older edit must not undo a newer one).
            Set<String> was = Hashtags.of(before.caption());
            Set<String> is = Hashtags.of(after.caption());
            Set<String> current = posts.find(after.id(), true).filter(p -> p.status() == PostStatus.READY)
                    .map(p -> Hashtags.of(p.caption())).orElse(Set.of());
            Set<String> gained = new LinkedHashSet<>(is);
            gained.removeAll(was);
            gained.retainAll(current);
            Set<String> lost = new LinkedHashSet<>(was);
            lost.removeAll(is);
            lost.removeAll(current);
            if (!gained.isEmpty()) {
                tags.index(after.id(), gained, day);
            }
            if (!lost.isEmpty()) {
                tags.unindex(after.id(), lost, day);
            }
        }
    }
}
