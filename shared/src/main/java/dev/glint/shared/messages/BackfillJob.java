package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to copy a followee's recent posts into a new follower's feed.
 */
public record BackfillJob(String type, int v, String followerId, String followeeId) implements QueueMessage {
    public static final String TYPE = "feed.backfill";
    public static final int VERSION = 1;

    public static BackfillJob of(String followerId, String followeeId) {
        return new BackfillJob(TYPE, VERSION, followerId, followeeId);
    }
}
