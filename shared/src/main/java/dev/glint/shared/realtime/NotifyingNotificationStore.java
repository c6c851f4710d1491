package dev.glint.shared.realtime;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link NotificationStore} that, for each notification it actually adds (not one the user
 * already had), puts a realtime delivery to the user's {@code notifications} subscribers in the
 * outbox, published when the batch ends ({@link RealtimeChanges}).
 */
public final class NotifyingNotificationStore implements NotificationStore {

    private final NotificationStore delegate;
    private final Publisher.Outbox outbox;

    public NotifyingNotificationStore(NotificationStore delegate, Publisher.Outbox outbox) {
        this.delegate = delegate;
        this.outbox = outbox;
    }

    @Override
    public boolean add(String userId, Notification notification) {
        boolean added = delegate.add(userId, notification);
        if (added) {
            outbox.add(Delivery.toUser(userId, new Topic.Notifications(), view(notification)));
        }
        return added;
    }

    /**
     * As {@code GET /v1/notifications} shows one, but the actor by id only (a client that wants the
     * handle has it, or reads the list); unread, since it has just arrived.
     */
    static Map<String, Object> view(Notification notification) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", notification.id());
        view.put("kind", notification.kind());
        view.put("actor", Map.of("id", notification.actorId()));
        // A follow's subject is the follower, an account suspension's the account: neither is a post.
        if (!Notification.aboutPerson(notification.kind()) && notification.subjectId() != null) {
            view.put("postId", notification.subjectId());
        }
        view.put("createdAt", notification.createdAt().toString());
        view.put("read", false);
        return view;
    }

    @Override
    public Page<Notification> list(String userId, int limit, Optional<PageToken> after) {
        return delegate.list(userId, limit, after);
    }

    @Override
    public Optional<String> readUpTo(String userId) {
        return delegate.readUpTo(userId);
    }

    @Override
    public void markRead(String userId, String upToId) {
        delegate.markRead(userId, upToId);
    }

    @Override
    public void markReadThrough(String userId, PageToken next) {
        delegate.markReadThrough(userId, next);
    }
}
