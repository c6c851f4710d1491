package dev.glint.shared.social;

import java.time.Instant;

/**
 * A user's public profile with its counts. {@code version} grows with every change of the profile or
 * its counts: a cached view of it is current while the version is. {@code locked}: a private account
 * (Mastodon's "locked"), whose follows are requests its owner approves and whose posts only its
 * followers read ({@link Privacy}). {@code suspended}: why and when a moderator suspended the account,
 * else null.
 */
public record Profile(String id, String handle, String displayName, String bio,
                      long followers, long following, long posts, Instant createdAt, long version, boolean locked,
                      Removal suspended) {

    /** A public profile of an account in good standing. */
    public Profile(String id, String handle, String displayName, String bio,
                   long followers, long following, long posts, Instant createdAt, long version) {
        this(id, handle, displayName, bio, followers, following, posts, createdAt, version, false, null);
    }

    public boolean isSuspended() {
        return suspended != null;
    }
}
