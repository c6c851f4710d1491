package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.util.Optional;

/** Users' notifications, at most one per (kind, actor, subject). */
public interface NotificationStore {

    /** @return false if the user already has this notification (nothing changed) */
    boolean add(String userId, Notification notification);

    /** Newest first. */
    Page<Notification> list(String userId, int limit, Optional<PageToken> after);

    /** The id of the newest notification the user has read, if any. */
    Optional<String> readUpTo(String userId);

    /** Marks everything up to the id read; never moves backwards. */
    void markRead(String userId, String upToId);

    /**
     * Marks read everything down to where a page of {@link #list} ended: the page that returned
     * {@code next} and every older notification.
     *
     * @throws IllegalArgumentException if the token is not a position in the user's list
     */
    void markReadThrough(String userId, PageToken next);
}
