package dev.glint.shared.social;

import java.time.Instant;

/** A comment on a post. */
public record Comment(String id, String postId, String authorId, String text, Instant createdAt) {
}
