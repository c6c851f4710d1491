package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to give one page of a former celebrity's followers the author's recent
 * posts and stop pulling the author at read time, from the first follower on: the author fell below
 * the demotion line (80 % of the celebrity threshold) and their posts are pushed again.
 *
 * @param claim  names this demotion's pages, so a later promotion or demotion of the author does not
 *               find them done
 * @param cursor where the page of followers starts; absent for the first page
 */
public record DemoteJob(String type, int v, String authorId, String claim, String cursor) implements QueueMessage {
    public static final String TYPE = "feed.demote";
    public static final int VERSION = 1;

    public static DemoteJob firstPage(String authorId, String claim) {
        return new DemoteJob(TYPE, VERSION, authorId, claim, null);
    }
}
