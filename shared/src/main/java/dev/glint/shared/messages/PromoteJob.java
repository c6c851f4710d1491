package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to tell one page of a new celebrity's followers to pull the celebrity's
 * posts, from the first follower on, whatever post made them a celebrity.
 *
 * @param claim  names this promotion's pages, so a later promotion of the author (after a demotion)
 *               does not find them done; absent in messages of before demotions, whose pages are unnamed
 * @param cursor where the page of followers starts; absent for the first page
 */
public record PromoteJob(String type, int v, String authorId, String claim, String cursor) implements QueueMessage {
    public static final String TYPE = "feed.promote";
    public static final int VERSION = 1;

    public static PromoteJob firstPage(String authorId, String claim) {
        return new PromoteJob(TYPE, VERSION, authorId, claim, null);
    }
}
