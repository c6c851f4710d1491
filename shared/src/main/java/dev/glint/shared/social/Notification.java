package dev.glint.shared.social;

import java.time.Instant;

/**
 * Something another user did to you: liked or commented on your post ({@code subjectId} is the
 * post), or followed you.
 */
public record Notification(String id, String kind, String actorId, String subjectId, Instant createdAt) {
    public static final String LIKE = "like";
    public static final String COMMENT = "comment";
    public static final String FOLLOW = "follow";
}
