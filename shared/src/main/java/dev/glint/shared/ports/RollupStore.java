package dev.glint.shared.ports;

import dev.glint.shared.reports.HyperLogLog;

import java.util.List;
import java.util.Map;

/** Pre-computed report rollups per day and hour. */
public interface RollupStore {

    /**
     * Counts one event, once per event id: its increments to the day's and the hour's rollups, and
     * its change to a post's like and comment counts (skipped if the post is gone).
     *
     * @return false if this event was counted before (nothing changed)
     */
    boolean count(Event event);

    /**
     * Counts many events at once, each once: one transaction per few dozen events (their markers
     * and the summed updates); events counted before are skipped after one batch read.
     */
    void countAll(List<Event> events);

    /**
     * One event's increments ({@code tag:<name>} entries count hashtags) and, for a like or a
     * comment, the change to its post's counts.
     */
    record Event(String eventId, String day, String hour, Map<String, Long> increments, java.util.Optional<PostDelta> post,
                 java.util.Optional<VariantDelta> variant) {
        public Event(String eventId, String day, String hour, Map<String, Long> increments, java.util.Optional<PostDelta> post) {
            this(eventId, day, hour, increments, post, java.util.Optional.empty());
        }
    }

    /** Increments of an experiment variant's rollup ({@code exposures}, {@code conversions:<metric>}). */
    record VariantDelta(String experimentId, String variant, Map<String, Long> increments) {
    }

    /** +1 or -1 likes or comments of a post. */
    record PostDelta(String postId, long likes, long comments) {
    }

    /** Merges the sketch into the day's active users (idempotent by nature). */
    void mergeActive(String day, HyperLogLog actors);

    /** The rollups of the days, in one batch read. */
    List<DayRollup> days(List<String> days);

    /** A day's counts ({@code tag:<name>} entries count hashtags) and its active-user sketch. */
    record DayRollup(String day, Map<String, Long> counts, HyperLogLog active) {
    }
}
