package dev.glint.shared.digest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;

/**
 * The period a digest run belongs to: the UTC date for daily digests, the ISO week for weekly ones. A
 * user gets at most one digest per period. The notifications it tells of are those of the day or
 * week that ends when the run was asked for ({@code windowStart} to {@code at}).
 *
 * @param key {@code daily-2026-11-30} or {@code weekly-2026-W49}
 */
public record DigestPeriod(DigestFrequency frequency, String key, Instant windowStart, Instant at) {

    public static DigestPeriod of(DigestFrequency frequency, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (frequency) {
            case DAILY -> new DigestPeriod(frequency, "daily-" + day, at.minus(Duration.ofDays(1)), at);
            case WEEKLY -> new DigestPeriod(frequency, String.format("weekly-%d-W%02d",
                    day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
                    at.minus(Duration.ofDays(7)), at);
            case OFF -> throw new IllegalArgumentException("no digest runs for off");
        };
    }

    /** The period as a person reads it: {@code 2026-11-30}, {@code 2026-W49}. */
    public String label() {
        return key.substring(key.indexOf('-') + 1);
    }
}
