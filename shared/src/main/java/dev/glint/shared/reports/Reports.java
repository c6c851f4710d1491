package dev.glint.shared.reports;

import dev.glint.shared.social.SocialException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Daily reports for product teams, answered from rollups only: one batch read for up to 31 days,
 * whatever the number of users and posts.
 */
public final class Reports {

    public static final int MAX_DAYS = 31;
    static final int TOP_TAGS = 5;

    private final RollupStore rollups;

    public Reports(RollupStore rollups) {
        this.rollups = rollups;
    }

    /** One day of the report. */
    public record Day(String date, long newUsers, long posts, long likes, long comments, long activeUsers,
                      Map<String, Long> topHashtags) {
    }

    public List<Day> daily(String from, String to) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (end.isBefore(start)) {
            throw SocialException.invalid("invalid_range", "from must not be after to.");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            throw SocialException.invalid("invalid_range", "A report covers at most " + MAX_DAYS + " days.");
        }
        List<String> days = new ArrayList<>();
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            days.add(day.toString());
        }
        List<Day> out = new ArrayList<>();
        for (RollupStore.DayRollup rollup : rollups.days(days)) {
            Map<String, Long> counts = rollup.counts();
            Map<String, Long> tags = new LinkedHashMap<>();
            rollup.tags().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_TAGS).forEach(e -> tags.put(e.getKey(), e.getValue()));
            out.add(new Day(rollup.day(), counts.getOrDefault("newUsers", 0L), counts.getOrDefault("posts", 0L),
                    counts.getOrDefault("likes", 0L), counts.getOrDefault("comments", 0L), rollup.active().estimate(), tags));
        }
        return out;
    }

    private static LocalDate date(String name, String value) {
        if (value == null) {
            throw SocialException.invalid("missing_" + name, name + " is required, as YYYY-MM-DD.");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw SocialException.invalid("invalid_" + name, name + " must be a date as YYYY-MM-DD.");
        }
    }

}
