package dev.glint.shared.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, key-safe names made from text: the first bytes of its SHA-256, in hex. */
public final class Digests {

    private Digests() {
    }

    /** The first {@code bytes} bytes of the SHA-256 of the text's UTF-8, as {@code 2 × bytes} hex digits. */
    public static String sha256Hex(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
