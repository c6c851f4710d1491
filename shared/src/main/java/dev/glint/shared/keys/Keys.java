package dev.glint.shared.keys;

import java.util.regex.Pattern;

/**
 * Builds every partition and sort key Glint writes. Nothing else concatenates key strings, so
 * re-keying or sharding an access pattern is a change to this one class.
 *
 * <p>Layout: entity prefixes are upper-case words ending in {@code #}; identifiers follow and may
 * not contain the separator. See {@code shared/ACCESS_PATTERNS.md} for the access patterns.
 */
public final class Keys {

    static final String SEP = "#";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");

    private Keys() {
    }

    /** A user's profile item. */
    public static Key userProfile(String userId) {
        return new Key("USER" + SEP + id(userId), "PROFILE");
    }

    /** Rejects identifiers that could break out of their key segment. */
    static String id(String value) {
        if (value == null || !SAFE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid key identifier: " + value);
        }
        return value;
    }
}
