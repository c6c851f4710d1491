package dev.glint.shared.messages;

/**
 * Asks the media worker to remove what a deleted post leaves behind: its renditions, then its
 * comments and likes, a page at a time.
 *
 * @param cursor where the next page of comments and likes starts; absent at first
 */
public record PurgeJob(String type, int v, String postId, String cursor) implements QueueMessage {
    public static final String TYPE = "post.purge";
    public static final int VERSION = 1;

    public static PurgeJob of(String postId) {
        return new PurgeJob(TYPE, VERSION, postId, null);
    }
}
