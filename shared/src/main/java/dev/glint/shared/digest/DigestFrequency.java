package dev.glint.shared.digest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How often a user gets an email digest of their unread notifications. */
public enum DigestFrequency {
    DAILY, WEEKLY, OFF;

    /** As the API and messages spell it: {@code daily}, {@code weekly}, {@code off}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DigestFrequency> parse(String value) {
        return Arrays.stream(values()).filter(f -> f.wire().equals(value)).findFirst();
    }
}
