package dev.glint.shared.digest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnsubscribeTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
    private static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");

    private static UnsubscribeTokens at(Instant now, String secret) {
        return new UnsubscribeTokens(secret, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSignedTokenNamesItsUserUntilItExpires() {
        String token = at(NOW, SECRET).sign("u-1");
        assertEquals(new UnsubscribeTokens.Valid("u-1"), at(NOW, SECRET).check(token));
        assertEquals(new UnsubscribeTokens.Valid("u-1"), at(NOW.plus(UnsubscribeTokens.LIFETIME).minusSeconds(1), SECRET).check(token));
        assertInstanceOf(UnsubscribeTokens.Expired.class, at(NOW.plus(UnsubscribeTokens.LIFETIME), SECRET).check(token));
    }

    @Test
    void aTokenForAnotherUserOrLaterExpiryWithoutTheKeyIsRefused() {
        String token = at(NOW, SECRET).sign("u-1");
        String signature = token.substring(token.indexOf('.') + 1);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("u1.u-2." + NOW.plusSeconds(86_400 * 400).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check(forgedPayload + "." + signature));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET + "-other").check(token), "another stack's key");
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check(token + "A"));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check(""));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check(null));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check("not a token"));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check("a.b.c"));
        assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check("x".repeat(600)));
    }

    @Test
    void everyEditedCharacterOfATokenIsRefused() {
        String token = at(NOW, SECRET).sign("u-1");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            char other = alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 1) % alphabet.length());
            String edited = token.substring(0, i) + other + token.substring(i + 1);
            assertInstanceOf(UnsubscribeTokens.Invalid.class, at(NOW, SECRET).check(edited), edited);
        }
    }

    @Test
    void aShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> at(NOW, "short"));
    }
}
