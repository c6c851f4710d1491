package dev.glint.shared.paging;

import dev.glint.shared.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Where the next page of a list starts, as the list's owner wrote it. To everyone else it is
 * opaque: a store puts its own position in it (the table adapter, the last key it read), a use case
 * that merges lists puts the positions of its sources; the API signs it into a cursor and gives it
 * back unchanged. Nobody but its writer reads inside.
 */
public final class PageToken {

    private static final int MAX_LENGTH = 4096;

    private final String value;

    private PageToken(String value) {
        this.value = value;
    }

    /** A token as its writer spelled it. */
    public static PageToken of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a page token is 1-" + MAX_LENGTH + " characters");
        }
        return new PageToken(value);
    }

    /** A token made of named string parts, for writers whose position has several of them. */
    public static PageToken ofParts(Map<String, String> parts) {
        return of(Json.write(parts));
    }

    /**
     * The named parts of a token written with {@link #ofParts(Map)}.
     *
     * @throws IllegalArgumentException if it was not written that way
     */
    public Map<String, String> parts() {
        try {
            return Json.readStringMap(value.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a page token of parts", e);
        }
    }

    /** The token as its writer spelled it; what the API signs. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PageToken token && token.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "PageToken[" + value + "]";
    }
}
