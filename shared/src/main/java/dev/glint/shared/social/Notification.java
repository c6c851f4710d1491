package dev.glint.shared.social;

import java.time.Instant;

/**
 * Something another user did to you: liked or commented on your post ({@code subjectId} is the
 * post), followed you, asked to follow your private account, or approved your request to follow theirs;
 * or what moderators did: took down your post or a comment of yours ({@code subjectId} the post it is
 * or was on) or suspended your account ({@code subjectId} you), the actor then {@link #MODERATORS},
 * never a moderator's own id.
 */
public record Notification(String id, String kind, String actorId, String subjectId, Instant createdAt) {
    public static final String LIKE = "like";
    public static final String COMMENT = "comment";
    public static final String FOLLOW = "follow";
    /** Someone asked to follow your private account ({@code subjectId} is the requester). */
    public static final String FOLLOW_REQUEST = "follow_request";
    /** The owner of a private account approved your request ({@code subjectId} is the owner). */
    public static final String FOLLOW_APPROVED = "follow_approved";

    public static final String POST_REMOVED = "post_removed";
    public static final String COMMENT_REMOVED = "comment_removed";
    public static final String ACCOUNT_SUSPENDED = "account_suspended";
    /** My data export is ready to download ({@code subjectId} is the export); its actor is {@link #GLINT}. */
    public static final String EXPORT_READY = "export_ready";
    /** The actor of what Glint itself tells you (an export ready), not a person. */
    public static final String GLINT = "glint";
    /** The actor of moderators' notifications: Glint's moderation team, not one person. */
    public static final String MODERATORS = "glint-moderation";

    /** Whether the notification is about a person (its subject a user id) rather than a post. */
    public static boolean aboutPerson(String kind) {
        return FOLLOW.equals(kind) || FOLLOW_REQUEST.equals(kind) || FOLLOW_APPROVED.equals(kind)
                || ACCOUNT_SUSPENDED.equals(kind);
    }
}
