package dev.glint.shared.social;

import java.util.Map;

/** Where the next page starts: the last key a store read. Opaque to callers; the API signs it. */
public record PageKey(Map<String, String> values) {
    public PageKey {
        values = Map.copyOf(values);
    }
}
