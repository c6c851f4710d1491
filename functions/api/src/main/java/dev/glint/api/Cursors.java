package dev.glint.api;

import dev.glint.shared.paging.PageToken;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque list cursors: a list's page token as its writer spelled it, bound to the list it came from
 * and signed with HMAC-SHA256, so a cursor cannot be forged, altered or replayed against another list.
 */
final class Cursors {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_LENGTH = 2048;

    private final byte[] key;

    Cursors(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the cursor key needs at least 32 bytes");
        }
        this.key = key.clone();
    }

    /** @param list names the list, e.g. {@code "followers:" + userId} */
    String encode(PageToken page, String list) {
        byte[] payload = page.value().getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(list, payload));
    }

    Optional<PageToken> decode(String cursor, String list) {
        if (cursor == null) {
            return Optional.empty();
        }
        int dot = cursor.indexOf('.');
        if (cursor.length() > MAX_LENGTH || dot < 1) {
            throw invalid();
        }
        try {
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] signature = DECODER.decode(cursor.substring(dot + 1));
            // One spelling per cursor: base64 lets the last character's unused bits vary, which would let an
            // edited cursor pass as the original.
            if (!(ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signature)).equals(cursor)) {
                throw invalid();
            }
            if (!MessageDigest.isEqual(signature, mac(list, payload))) {
                throw invalid();
            }
            return Optional.of(PageToken.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(payload)).toString()));
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw invalid();
        }
    }

    private byte[] mac(String list, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(list.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException invalid() {
        return new ApiException(400, "invalid_cursor", "The cursor is not one this list returned; start again without it.");
    }
}
