package dev.glint.shared.ids;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Time-ordered identifiers (ULID layout: 10 characters of milliseconds, 16 of randomness, Crockford
 * base32). Sorting ids sorts by creation time, so "newest first" is a reverse key order.
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern VALID = java.util.regex.Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private final Clock clock;

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public static Ids system() {
        return new Ids(Clock.systemUTC());
    }

    /** Whether a string has the shape of an id this class makes (so it is safe to look up). */
    public static boolean valid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The largest id made at or before the instant: ids up to it were made up to then. */
    public static String upTo(java.time.Instant instant) {
        return time(instant.toEpochMilli()) + "ZZZZZZZZZZZZZZZZ";
    }

    /** When an id was made. */
    public static java.time.Instant timeOf(String id) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | new String(ALPHABET).indexOf(id.charAt(i));
        }
        return java.time.Instant.ofEpochMilli(millis);
    }

    private static String time(long millis) {
        char[] out = new char[10];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        return new String(out);
    }

    public String next() {
        long millis = clock.millis();
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        for (int i = 0; i < 16; i++) {
            out[10 + i] = ALPHABET[random[i] & 31];
        }
        return new String(out);
    }
}
