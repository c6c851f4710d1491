package dev.glint.shared.messages;

/**
 * Asks the media worker (which already deletes posts' media in both buckets) to erase one page of an account ({@code account.erase}): the page of the
 * named step that starts at the cursor. Each page sends the next one, so an erasure is a chain of
 * messages, as a post's fan-out is.
 *
 * @param step   the name of the erasure step (stable across releases, unlike a position in the list)
 * @param page   how many pages of this erasure came before it (decimal): the account's tombstone
 *               records the page it expects next, so a replayed page is dropped and a page that
 *               arrives before its predecessor was recorded is retried
 * @param cursor where the step's page starts; absent for the step's first page
 */
public record EraseJob(String type, int v, String userId, String step, String page, String cursor) implements QueueMessage {
    public static final String TYPE = "account.erase";
    public static final int VERSION = 1;

    public static EraseJob firstPage(String userId, String firstStep) {
        return new EraseJob(TYPE, VERSION, userId, firstStep, "0", null);
    }

    public long pageNumber() {
        try {
            return Long.parseLong(page);
        } catch (NumberFormatException e) {
            throw new MessageFormatException("account.erase page is not a number: " + page);
        }
    }
}
