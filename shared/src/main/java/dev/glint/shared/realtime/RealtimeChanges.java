package dev.glint.shared.realtime;

import dev.glint.shared.changes.ChangeConsumer;
import dev.glint.shared.changes.TableChange;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stream processor's realtime side, around what it derives from a batch: once the batch is
 * applied, the notifications it added (gathered in the outbox by {@link NotifyingNotificationStore})
 * go to their users' {@code notifications} subscribers, and each post whose likes or comments
 * changed sends its new counts to its {@code post:<id>} subscribers, read once per batch and only
 * if someone watches. Published also when the batch fails part-way: what was applied stays applied.
 */
public final class RealtimeChanges implements ChangeConsumer {

    private final ChangeConsumer delegate;
    private final Publisher publisher;
    private final Publisher.Outbox outbox;
    private final PostStore posts;

    public RealtimeChanges(ChangeConsumer delegate, Publisher publisher, Publisher.Outbox outbox, PostStore posts) {
        this.delegate = delegate;
        this.publisher = publisher;
        this.outbox = outbox;
        this.posts = posts;
    }

    @Override
    public void accept(TableChange change) {
        acceptBatch(List.of(change));
    }

    @Override
    public void acceptBatch(List<TableChange> changes) {
        try {
            delegate.acceptBatch(changes);
        } finally {
            List<Delivery> deliveries = new ArrayList<>(outbox.drain());
            countedPosts(changes).forEach(postId -> deliveries.add(
                    Delivery.toTopic(new Topic.PostCounts(postId), () -> counts(postId))));
            publisher.publish(deliveries);
        }
    }

    private Optional<?> counts(String postId) {
        // Strongly: the counts this batch just wrote.
        return posts.find(postId, true).map(RealtimeChanges::countsEvent);
    }

    static Map<String, Object> countsEvent(Post post) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("likes", post.likes());
        event.put("comments", post.comments());
        return event;
    }

    private static Set<String> countedPosts(List<TableChange> changes) {
        Set<String> ids = new LinkedHashSet<>();
        for (TableChange change : changes) {
            if (change instanceof TableChange.LikeAdded like) {
                ids.add(like.postId());
            } else if (change instanceof TableChange.LikeRemoved like) {
                ids.add(like.postId());
            } else if (change instanceof TableChange.CommentAdded comment) {
                ids.add(comment.comment().postId());
            } else if (change instanceof TableChange.CommentRemoved comment) {
                ids.add(comment.comment().postId());
            }
        }
        return ids;
    }
}
