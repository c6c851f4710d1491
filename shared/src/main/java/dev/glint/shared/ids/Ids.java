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
