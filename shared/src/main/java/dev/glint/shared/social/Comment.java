package dev.glint.shared.social;

import java.time.Instant;

/** A comment on a post; {@code removed}: why and when a moderator took it down, else null. */
public record Comment(String id, String postId, String authorId, String text, Instant createdAt, Removal removed) {

    /** A comment no moderator took down. */
    public Comment(String id, String postId, String authorId, String text, Instant createdAt) {
        this(id, postId, authorId, text, createdAt, null);
    }
}
