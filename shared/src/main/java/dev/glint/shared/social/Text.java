package dev.glint.shared.social;

/** Checks on user-written text: lengths in characters (code points), no control characters. */
final class Text {

    private Text() {
    }

    static void requireLength(String field, String value, int min, int max) {
        int length = value.strip().codePointCount(0, value.strip().length());
        if (length < min || length > max) {
            throw SocialException.invalid("invalid_" + field, field + " must be " + min + "-" + max
                    + " characters (got " + length + ").");
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw SocialException.invalid("invalid_" + field, field + " may not contain control characters.");
        }
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
