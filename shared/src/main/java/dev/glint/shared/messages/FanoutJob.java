package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to push a ready post into one page of its author's followers' feeds.
 *
 * @param cursor where the page of followers starts; absent for the first page
 */
public record FanoutJob(String type, int v, String postId, String authorId, String cursor) implements QueueMessage {
    public static final String TYPE = "feed.fanout";
    public static final int VERSION = 1;

    public static FanoutJob firstPage(String postId, String authorId) {
        return new FanoutJob(TYPE, VERSION, postId, authorId, null);
    }
}
