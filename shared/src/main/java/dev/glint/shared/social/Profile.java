package dev.glint.shared.social;

import java.time.Instant;

/**
 * A user's public profile with its counts. {@code version} grows with every change of the profile or
 * its counts: a cached view of it is current while the version is. {@code suspended}: why and when a
 * moderator suspended the account, else null.
 */
public record Profile(String id, String handle, String displayName, String bio,
                      long followers, long following, long posts, Instant createdAt, long version, Removal suspended) {

    /** A profile of an account in good standing. */
    public Profile(String id, String handle, String displayName, String bio,
                   long followers, long following, long posts, Instant createdAt, long version) {
        this(id, handle, displayName, bio, followers, following, posts, createdAt, version, null);
    }

    public boolean isSuspended() {
        return suspended != null;
    }
}
