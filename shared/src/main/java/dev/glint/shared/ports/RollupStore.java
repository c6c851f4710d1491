package dev.glint.shared.ports;

import dev.glint.shared.reports.HyperLogLog;

import java.util.List;
import java.util.Map;

/** Pre-computed report rollups per day and hour. */
public interface RollupStore {

    /**
     * Adds the increments to the day's and the hour's rollups, once per event id.
     *
     * @return false if this event was counted before (nothing changed)
     */
    boolean count(String eventId, String day, String hour, Map<String, Long> increments);

    /**
     * Counts many events at once: normally one transaction for the whole batch; a batch with an
     * event counted before falls back to {@link #count} event by event, so nothing counts twice.
     */
    void countAll(List<Event> events);

    /** One event's increments. */
    record Event(String eventId, String day, String hour, Map<String, Long> increments) {
    }

    /** Merges the sketch into the day's active users (idempotent by nature). */
    void mergeActive(String day, HyperLogLog actors);

    /** The rollups of the days, in one batch read. */
    List<DayRollup> days(List<String> days);

    /** A day's counts ({@code tag:<name>} entries count hashtags) and its active-user sketch. */
    record DayRollup(String day, Map<String, Long> counts, HyperLogLog active) {
    }
}
