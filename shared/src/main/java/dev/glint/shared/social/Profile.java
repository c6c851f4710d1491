package dev.glint.shared.social;

import java.time.Instant;

/**
 * A user's public profile with its counts. {@code version} grows with every change of the profile or
 * its counts: a cached view of it is current while the version is.
 */
public record Profile(String id, String handle, String displayName, String bio,
                      long followers, long following, long posts, Instant createdAt, long version) {
}
