package dev.glint.shared.reports;

import java.util.List;
import java.util.Map;

/** Pre-computed report rollups per day and hour. */
public interface RollupStore {

    /**
     * Counts one event, once per event id: its increments to the day's and the hour's rollups, and
     * its changes to the counts of posts and users (each skipped if its item is gone).
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
     * One event's increments to the rollups ({@code tag:<name>} entries count hashtags) and its
     * changes to the counts kept on posts (likes, comments) and users (followers, following, posts).
     */
    record Event(String eventId, String day, String hour, Map<String, Long> increments, List<CounterDelta> counters,
                 java.util.Optional<VariantDelta> variant) {
        public Event {
            counters = List.copyOf(counters);
        }

        public Event(String eventId, String day, String hour, Map<String, Long> increments, List<CounterDelta> counters) {
            this(eventId, day, hour, increments, counters, java.util.Optional.empty());
        }
    }

    /** Increments of an experiment variant's rollup ({@code exposures}, {@code conversions:<metric>}). */
    record VariantDelta(String experimentId, String variant, Map<String, Long> increments) {
    }

    /** What a counter belongs to. */
    enum Subject { POST, USER }

    /** Changes to the named counts of one post or user, e.g. {@code likes: -1}. */
    record CounterDelta(Subject subject, String id, Map<String, Long> counts) {
        public static CounterDelta of(Subject subject, String id, String count, long delta) {
            return new CounterDelta(subject, id, Map.of(count, delta));
        }
    }

    /** Merges the sketch into the day's active users (idempotent by nature). */
    void mergeActive(String day, HyperLogLog actors);

    /** The rollups of the days, in one batch read. */
    List<DayRollup> days(List<String> days);

    /** A day's counts ({@code tag:<name>} entries count hashtags) and its active-user sketch. */
    record DayRollup(String day, Map<String, Long> counts, HyperLogLog active) {
    }
}
