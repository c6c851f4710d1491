package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to tell one page of a new celebrity's followers to pull the celebrity's
 * posts, from the first follower on, whatever post made them a celebrity.
 *
 * @param cursor where the page of followers starts; absent for the first page
 */
public record PromoteJob(String type, int v, String authorId, String cursor) implements QueueMessage {
    public static final String TYPE = "feed.promote";
    public static final int VERSION = 1;

    public static PromoteJob firstPage(String authorId) {
        return new PromoteJob(TYPE, VERSION, authorId, null);
    }
}
