package dev.glint.shared.social;

import java.time.Instant;

/**
 * What else a follow starts or ends, beyond the follow itself: the home feed's part (which authors a
 * reader pulls, what a new follower's feed is back-filled with) lives with the feed, which
 * implements this.
 */
public interface FollowEvents {

    /** Nothing else happens (tests of the social graph alone). */
    FollowEvents NONE = new FollowEvents() {
        @Override
        public void followed(String followerId, String followeeId, Instant at) {
        }

        @Override
        public void unfollowed(String followerId, String followeeId) {
        }
    };

    /** A follow began at {@code at} (once per follow: following twice tells nothing). */
    void followed(String followerId, String followeeId, Instant at);

    /** A follow ended. */
    void unfollowed(String followerId, String followeeId);
}
