package dev.glint.shared.reports;

import dev.glint.shared.experiments.Variant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pre-computed report rollups per day and hour, and the counts kept on posts and users. */
public interface RollupStore {

    /**
     * Counts many events, each once by its event id, whatever was counted before: one transaction
     * per few dozen events (their markers and the summed updates); events counted before are skipped.
     */
    void countAll(List<Event> events);

    /**
     * One event's increments to the day's and hour's rollups ({@code newUsers}, {@code posts},
     * {@code likes}, {@code comments}), the hashtags it counts on its day, its changes to the counts
     * kept on posts (likes, comments) and users (followers, following, posts), and an experiment
     * variant's counts.
     */
    record Event(String eventId, String day, String hour, Map<String, Long> increments, Map<String, Long> tags,
                 List<CounterDelta> counters, Optional<VariantDelta> variant) {
        public Event {
            increments = Map.copyOf(increments);
            tags = Map.copyOf(tags);
            counters = List.copyOf(counters);
        }

        public Event(String eventId, String day, String hour, Map<String, Long> increments, List<CounterDelta> counters) {
            this(eventId, day, hour, increments, Map.of(), counters, Optional.empty());
        }
    }

    /**
     * Increments of an experiment variant's rollup in a revision of its assignment ({@code exposures},
     * {@code conversions:<metric>}).
     *
     * @param split the revision's variants with their weights in declared order, kept beside the
     *              counts (an exposure knows it; empty when the marker does not say)
     */
    record VariantDelta(String experimentId, String revision, String variant, List<Variant> split,
                        Map<String, Long> increments) {
        public VariantDelta {
            split = List.copyOf(split);
            increments = Map.copyOf(increments);
        }
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

    /** The rollups of the days, in as few batch reads as their items take. */
    List<DayRollup> days(List<String> days);

    /**
     * A day's counts, its most used hashtags with their counts (the heavy hitters a bounded sketch
     * keeps: exact while a day has few distinct tags, never under-counted), and its active-user sketch.
     */
    record DayRollup(String day, Map<String, Long> counts, Map<String, Long> tags, HyperLogLog active) {
    }
}
