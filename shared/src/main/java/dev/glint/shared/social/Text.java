package dev.glint.shared.social;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks on user-written text, which is stored as sent or refused with a reason, never changed:
 * lengths in characters (code points), no control characters; in free text, every direction
 * embedding, override or isolate closed within the text, so it cannot reorder what a client shows
 * after it; in names, no invisible or direction-changing character at all, so one name cannot pass
 * for another.
 */
final class Text {

    private static final int LRE = 0x202A;
    private static final int RLE = 0x202B;
    private static final int PDF = 0x202C;
    private static final int LRO = 0x202D;
    private static final int RLO = 0x202E;
    private static final int LRI = 0x2066;
    private static final int RLI = 0x2067;
    private static final int FSI = 0x2068;
    private static final int PDI = 0x2069;
    private static final int ZWJ = 0x200D;

    private Text() {
    }

    /** Free text (a bio, a caption, a comment): its length, no control characters, directions closed. */
    static void requireLength(String field, String value, int min, int max) {
        requireLength(field, field, value, min, max);
    }

    /**
     * As {@link #requireLength(String, String, int, int)}, the error's code naming the field
     * ({@code invalid_altText}) and its message where it is ({@code photos[2].altText}).
     */
    static void requireLength(String field, String where, String value, int min, int max) {
        int length = value.strip().codePointCount(0, value.strip().length());
        if (length < min || length > max) {
            throw SocialException.invalid("invalid_" + field, where + " must be " + min + "-" + max
                    + " characters (got " + length + ").");
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw SocialException.invalid("invalid_" + field, where + " may not contain control characters.");
        }
        requireClosedDirections(field, where, value);
    }

    /**
     * A name people tell users apart by (a display name): as free text, and with no invisible,
     * formatting or direction character (Unicode's format category, and the Hangul fillers that draw
     * nothing), except the zero-width joiner inside an emoji sequence.
     */
    static void requireName(String field, String value, int min, int max) {
        requireLength(field, value, min, max);
        int[] points = value.codePoints().toArray();
        for (int i = 0; i < points.length; i++) {
            int c = points[i];
            boolean joinsEmoji = c == ZWJ && i > 0 && i < points.length - 1 && emoji(points[i - 1]) && emoji(points[i + 1]);
            if ((Character.getType(c) == Character.FORMAT && !joinsEmoji) || invisibleLetter(c)) {
                throw SocialException.invalid("invalid_" + field, field + " may not contain invisible or direction-changing"
                        + " characters (found U+" + String.format("%04X", c) + ").");
            }
        }
    }

    /** Every embedding and override ends with U+202C, every isolate with U+2069, in order, within the text. */
    private static void requireClosedDirections(String field, String where, String value) {
        Deque<Integer> open = new ArrayDeque<>();
        for (int c : value.codePoints().toArray()) {
            if (c == LRE || c == RLE || c == LRO || c == RLO || c == LRI || c == RLI || c == FSI) {
                open.push(c);
            } else if (c == PDF || c == PDI) {
                boolean isolate = c == PDI;
                Integer last = open.peek();
                if (last == null || isolate != (last == LRI || last == RLI || last == FSI)) {
                    throw SocialException.invalid("invalid_" + field, where + " closes a text direction it did not open (U+"
                            + String.format("%04X", c) + ").");
                }
                open.pop();
            }
        }
        if (!open.isEmpty()) {
            throw SocialException.invalid("invalid_" + field, where + " changes the text direction (U+"
                    + String.format("%04X", open.peek()) + ") without closing it: end it with U+"
                    + (open.peek() >= LRI ? "2069" : "202C") + ", or remove it.");
        }
    }

    /** Pictographs and the variation selector that makes a symbol an emoji. */
    private static boolean emoji(int c) {
        return c >= 0x1F000 || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF) || c == 0xFE0F;
    }

    /** Letters that draw nothing: the Hangul fillers. */
    private static boolean invisibleLetter(int c) {
        return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0;
    }

    /** A value fit to echo in an error message: short and printable. */
    static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        String printable = value.codePoints().filter(c -> !Character.isISOControl(c))
                .limit(40).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return "'" + printable + (value.length() > 40 ? "…" : "") + "'";
    }
}
