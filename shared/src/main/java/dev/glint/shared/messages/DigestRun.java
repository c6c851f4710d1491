package dev.glint.shared.messages;

/**
 * Asks the fan-out worker for one step of an email digest run. The scheduler's message names only the
 * frequency and the time it fired; the worker splits it into one message per index shard, and each of
 * those handles one page of opted-in users and enqueues the next page with its cursor.
 *
 * @param frequency {@code daily} or {@code weekly}
 * @param at        when the run was asked for (ISO-8601); the period (UTC date or ISO week) and the
 *                  window of notifications come from it; absent: when the first message is handled
 * @param shard     the index shard this message pages through; absent for the first message
 * @param cursor    where the page of the shard starts; absent for its first page
 */
public record DigestRun(String type, int v, String frequency, String at, String shard, String cursor) implements QueueMessage {
    public static final String TYPE = "digest.run";
    public static final int VERSION = 1;

    public static DigestRun of(String frequency, String at) {
        return new DigestRun(TYPE, VERSION, frequency, at, null, null);
    }

    public DigestRun page(int shardNumber, String nextCursor) {
        return new DigestRun(TYPE, VERSION, frequency, at, Integer.toString(shardNumber), nextCursor);
    }
}
