package dev.glint.shared.realtime;

import dev.glint.shared.ids.Ids;

import java.util.Optional;

/**
 * What a connection subscribes to. {@code notifications} and {@code feed} are the subscriber's own
 * (another user's notifications cannot even be named); {@code post:<id>} is one post's live counts,
 * shared by every connection that watches it.
 */
public sealed interface Topic {

    String NOTIFICATIONS = "notifications";
    String FEED = "feed";
    String POST_PREFIX = "post:";

    /** The topic as clients spell it. */
    String name();

    /** The user's own notifications. */
    record Notifications() implements Topic {
        @Override
        public String name() {
            return NOTIFICATIONS;
        }
    }

    /** Nudges that the user's home feed has a new post. */
    record Feed() implements Topic {
        @Override
        public String name() {
            return FEED;
        }
    }

    /** One post's like and comment counts. */
    record PostCounts(String postId) implements Topic {
        @Override
        public String name() {
            return POST_PREFIX + postId;
        }
    }

    /** Reads a client's topic; empty if it names no topic there is. */
    static Optional<Topic> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.equals(NOTIFICATIONS)) {
            return Optional.of(new Notifications());
        }
        if (raw.equals(FEED)) {
            return Optional.of(new Feed());
        }
        if (raw.startsWith(POST_PREFIX) && Ids.valid(raw.substring(POST_PREFIX.length()))) {
            return Optional.of(new PostCounts(raw.substring(POST_PREFIX.length())));
        }
        return Optional.empty();
    }
}
