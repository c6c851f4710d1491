package dev.glint.shared.ports;

import dev.glint.shared.social.Notification;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;

import java.util.Optional;

/** Users' notifications, at most one per (kind, actor, subject). */
public interface NotificationStore {

    /** @return false if the user already has this notification (nothing changed) */
    boolean add(String userId, Notification notification);

    /** Newest first. */
    Page<Notification> list(String userId, int limit, Optional<PageKey> after);

    /** The id of the newest notification the user has read, if any. */
    Optional<String> readUpTo(String userId);

    /** Marks everything up to the id read; never moves backwards. */
    void markRead(String userId, String upToId);
}
