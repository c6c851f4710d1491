package dev.glint.shared.changes;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.ports.ChangeConsumer;
import dev.glint.shared.ports.NotificationStore;
import dev.glint.shared.ports.PostStore;
import dev.glint.shared.ports.RollupStore;
import dev.glint.shared.reports.HyperLogLog;
import dev.glint.shared.ports.TagStore;
import dev.glint.shared.social.Hashtags;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.Post;
import dev.glint.shared.stream.ChangeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the stream processor derives from each change of the table: report rollups (counts per day
 * and hour, counted once per event; active users in a sketch), notifications for likes, comments
 * and follows (never for one's own actions, at most one per kind, actor and subject), and the
 * hashtag index of ready posts (removed with the post). Every step is idempotent, so a
 * replayed batch changes nothing.
 */
public final class ApplyChange implements ChangeConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyChange.class);

    private final PostStore posts;
    private final NotificationStore notifications;
    private final TagStore tags;
    private final RollupStore rollups;
    private final Ids ids;
    private final Clock clock;

    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags, RollupStore rollups,
                       Ids ids, Clock clock) {
        this.posts = posts;
        this.notifications = notifications;
        this.tags = tags;
        this.rollups = rollups;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public void accept(ChangeRecord record) {
        Map<String, Object> image = record.kind() == ChangeRecord.Kind.REMOVE ? record.oldImage() : record.newImage();
        String entity = text(image, "entity");
        if (entity == null) {
            return;
        }
        if (record.kind() == ChangeRecord.Kind.INSERT) {
            rollUp(record.eventId(), entity, image);
        }
        switch (entity) {
            case "like" -> {
                if (record.kind() == ChangeRecord.Kind.INSERT) {
                    notifyAuthor(text(image, "postId"), text(image, "userId"), Notification.LIKE);
                }
            }
            case "comment" -> {
                if (record.kind() == ChangeRecord.Kind.INSERT) {
                    notifyAuthor(text(image, "postId"), text(image, "authorId"), Notification.COMMENT);
                }
            }
            case "follow" -> {
                if (record.kind() == ChangeRecord.Kind.INSERT) {
                    String follower = text(image, "followerId");
                    notify(text(image, "followeeId"), Notification.FOLLOW, follower, follower);
                }
            }
            case "post" -> indexTags(record);
            default -> {
                // other entities derive nothing yet
            }
        }
    }

    /** Counts new users, posts, likes, comments and hashtags per day and hour, and the day's active users. */
    private void rollUp(String eventId, String entity, Map<String, Object> image) {
        Map<String, Long> increments = new java.util.LinkedHashMap<>();
        String actor;
        switch (entity) {
            case "profile" -> {
                increments.put("newUsers", 1L);
                actor = text(image, "userId");
            }
            case "post" -> {
                increments.put("posts", 1L);
                Hashtags.of(text(image, "caption")).forEach(tag -> increments.put("tag:" + tag, 1L));
                actor = text(image, "authorId");
            }
            case "like" -> {
                increments.put("likes", 1L);
                actor = text(image, "userId");
            }
            case "comment" -> {
                increments.put("comments", 1L);
                actor = text(image, "authorId");
            }
            default -> {
                return;
            }
        }
        String createdAt = text(image, "createdAt");
        Instant at = createdAt == null ? clock.instant() : Instant.parse(createdAt);
        String day = Hashtags.day(at);
        String hour = String.format("%02d", at.atZone(java.time.ZoneOffset.UTC).getHour());
        rollups.count(eventId, day, hour, increments);
        if (actor != null) {
            HyperLogLog active = new HyperLogLog();
            active.add(actor);
            rollups.mergeActive(day, active);
        }
    }

    private void notifyAuthor(String postId, String actorId, String kind) {
        Optional<Post> post = posts.find(postId, false).or(() -> posts.find(postId, true));
        post.ifPresent(p -> notify(p.authorId(), kind, actorId, postId));
    }

    private void notify(String userId, String kind, String actorId, String subjectId) {
        if (userId == null || actorId == null || userId.equals(actorId)) {
            return;
        }
        Instant now = clock.instant();
        if (notifications.add(userId, new Notification(ids.next(), kind, actorId, subjectId, now))) {
            LOG.debug("notified {} of {} by {}", userId, kind, actorId);
        }
    }

    private void indexTags(ChangeRecord record) {
        String postId = text(record.kind() == ChangeRecord.Kind.REMOVE ? record.oldImage() : record.newImage(), "postId");
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
            Set<String> old = Hashtags.of(text(record.oldImage(), "caption"));
            tags.unindex(postId, old, day);
        }
    }

    private static String text(Map<String, Object> image, String name) {
        Object value = image.get(name);
        return value instanceof String s ? s : null;
    }
}
