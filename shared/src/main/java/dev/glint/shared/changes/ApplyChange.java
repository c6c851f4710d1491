package dev.glint.shared.changes;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.ports.ChangeConsumer;
import dev.glint.shared.ports.NotificationStore;
import dev.glint.shared.ports.PostStore;
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
 * What the stream processor derives from each change of the table: notifications for likes,
 * comments and follows (never for one's own actions, at most one per kind, actor and subject),
 * and the hashtag index of ready posts (removed with the post). Every step is idempotent, so a
 * replayed batch changes nothing.
 */
public final class ApplyChange implements ChangeConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyChange.class);

    private final PostStore posts;
    private final NotificationStore notifications;
    private final TagStore tags;
    private final Ids ids;
    private final Clock clock;

    public ApplyChange(PostStore posts, NotificationStore notifications, TagStore tags, Ids ids, Clock clock) {
        this.posts = posts;
        this.notifications = notifications;
        this.tags = tags;
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
