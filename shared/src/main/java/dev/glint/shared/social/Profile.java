package dev.glint.shared.social;

import java.time.Instant;

/** A user's public profile with its counts. */
public record Profile(String id, String handle, String displayName, String bio,
                      long followers, long following, long posts, Instant createdAt) {
}
