package dev.glint.shared.digest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Signs and checks the tokens of unsubscribe links: they work without sign-in, so they carry the user
 * and an expiry under an HMAC-SHA256. The key is derived from the given secret with a label of its own:
 * on AWS the stage's unsubscribe secret; on the local stack its cursor secret, whose cursor signatures
 * then still never pass as unsubscribe tokens or the reverse.
 */
public final class UnsubscribeTokens {

    /** Long enough for a weekly digest read late; short enough that an old forwarded mail stops working. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String VERSION = "u1";
    private static final int MAX_LENGTH = 512;

    private final byte[] key;
    private final Clock clock;

    /** @param secret at least 32 characters */
    public UnsubscribeTokens(String secret, Clock clock) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("the unsubscribe key needs a secret of at least 32 characters");
        }
        this.key = hmac(secret.getBytes(StandardCharsets.UTF_8), "glint/unsubscribe/v1".getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    public String sign(String userId) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        byte[] payload = (VERSION + "." + userId + "." + expires).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(hmac(key, payload));
    }

    /** What checking a token found. */
    public sealed interface Checked permits Valid, Expired, Invalid {
    }

    public record Valid(String userId) implements Checked {
    }

    public record Expired() implements Checked {
    }

    public record Invalid() implements Checked {
    }

    public Checked check(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return new Invalid();
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.')) {
            return new Invalid();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Invalid();
        }
        // One spelling per token: base64's unused last bits must not let an edited token pass.
        if (!(ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signature)).equals(token)
                || !MessageDigest.isEqual(signature, hmac(key, payload))) {
            return new Invalid();
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[1].isEmpty()) {
            return new Invalid();
        }
        long expires;
        try {
            expires = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return new Invalid();
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(expires))) {
            return new Expired();
        }
        return new Valid(parts[1]);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
