package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading notifications and marking them read. */
public final class Notifications {

    private final NotificationStore store;

    public Notifications(NotificationStore store) {
        this.store = store;
    }

    /** A notification and whether the user has read it. */
    public record Seen(Notification notification, boolean read) {
    }

    public Page<Seen> list(String userId, int limit, Optional<PageToken> after) {
        Optional<String> readUpTo = store.readUpTo(userId);
        return store.list(userId, limit, after)
                .map(n -> new Seen(n, readUpTo.map(upTo -> n.id().compareTo(upTo) <= 0).orElse(false)));
    }

    /**
     * Marks read everything up to a notification id or an ISO-8601 time.
     *
     * @throws SocialException INVALID if {@code upTo} is neither
     */
    public void markRead(String userId, String upTo) {
        String id;
        if (Ids.valid(upTo)) {
            id = upTo;
        } else {
            try {
                id = Ids.upTo(Instant.parse(upTo));
            } catch (DateTimeParseException e) {
                throw SocialException.invalid("invalid_up_to",
                        "upTo must be a notification id or a time such as 2026-11-22T10:00:00Z.");
            }
        }
        store.markRead(userId, id);
    }

    /** Marks read the page of {@link #list} that returned {@code next}, and everything older. */
    public void markReadThrough(String userId, PageToken next) {
        store.markReadThrough(userId, next);
    }
}
