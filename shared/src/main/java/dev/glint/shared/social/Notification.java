package dev.glint.shared.social;

import java.time.Instant;

/**
 * Something another user did to you: liked or commented on your post ({@code subjectId} is the
 * post), followed you, asked to follow your private account, or approved your request to follow theirs.
 */
public record Notification(String id, String kind, String actorId, String subjectId, Instant createdAt) {
    public static final String LIKE = "like";
    public static final String COMMENT = "comment";
    public static final String FOLLOW = "follow";
    /** Someone asked to follow your private account ({@code subjectId} is the requester). */
    public static final String FOLLOW_REQUEST = "follow_request";
    /** The owner of a private account approved your request ({@code subjectId} is the owner). */
    public static final String FOLLOW_APPROVED = "follow_approved";

    /** Whether the notification is about a person rather than a post. */
    public static boolean aboutPerson(String kind) {
        return FOLLOW.equals(kind) || FOLLOW_REQUEST.equals(kind) || FOLLOW_APPROVED.equals(kind);
    }
}
