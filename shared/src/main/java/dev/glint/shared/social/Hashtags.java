package dev.glint.shared.social;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code #tags} of a caption: ASCII letters, digits and '_', 1-50 characters, lower-cased. */
public final class Hashtags {

    static final Pattern TAG = Pattern.compile("#([A-Za-z0-9_]{1,50})(?![A-Za-z0-9_])");
    static final int MAX_TAGS = 30;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Hashtags() {
    }

    public static Set<String> of(String caption) {
        Set<String> tags = new LinkedHashSet<>();
        if (caption == null) {
            return tags;
        }
        Matcher matcher = TAG.matcher(caption);
        while (matcher.find() && tags.size() < MAX_TAGS) {
            tags.add(matcher.group(1).toLowerCase(Locale.ROOT));
        }
        return tags;
    }

    /** Whether a string can be a tag (for the route that lists one). */
    public static boolean valid(String tag) {
        return tag != null && tag.matches("[A-Za-z0-9_]{1,50}");
    }

    public static String day(Instant instant) {
        return DAY.format(instant);
    }
}
