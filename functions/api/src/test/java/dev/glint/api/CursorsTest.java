package dev.glint.api;

import dev.glint.shared.paging.PageToken;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CursorsTest {

    private final Cursors cursors = new Cursors("k".repeat(32).getBytes(StandardCharsets.UTF_8));
    private final PageToken page = PageToken.ofParts(Map.of("pk", "POST#1", "sk", "COMMENT#2"));

    @Test
    void readsBackWhatItWrote() {
        String cursor = cursors.encode(page, "comments:1");
        assertEquals(Optional.of(page), cursors.decode(cursor, "comments:1"));
        assertThrows(ApiException.class, () -> cursors.decode(cursor, "comments:2"), "another list's cursor");
    }

    @Test
    void refusesEveryOtherSpellingOfTheSameBytes() {
        String cursor = cursors.encode(page, "comments:1");
        // A 32-byte signature is 43 base64 characters: the last one carries two unused bits, so four
        // characters decode alike. Only the one the API wrote is accepted.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(cursor.charAt(cursor.length() - 1));
        assertEquals(0, last % 4, "the API writes the unused bits as zeros");
        int accepted = 0;
        for (int i = last; i < last + 4; i++) {
            String variant = cursor.substring(0, cursor.length() - 1) + alphabet.charAt(i);
            try {
                cursors.decode(variant, "comments:1");
                accepted++;
            } catch (ApiException e) {
                assertEquals(400, e.status());
            }
        }
        assertEquals(1, accepted, "only the original spelling of " + cursor);
    }
}
