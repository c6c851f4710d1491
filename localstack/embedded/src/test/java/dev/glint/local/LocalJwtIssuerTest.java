package dev.glint.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalJwtIssuerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private static LocalJwtIssuer issuerAt(Instant now) {
        return LocalJwtIssuer.create(null, "glint-local", Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenItIssuedVerifiesWithCognitoClaimNames() {
        LocalJwtIssuer issuer = issuerAt(NOW);
        String token = issuer.issue("alice", List.of("product", "staff"), Duration.ofHours(1));

        Map<String, String> claims = issuer.verify(token).orElseThrow();

        assertEquals(LocalJwtIssuer.subjectOf("alice"), claims.get("sub"));
        assertEquals("alice", claims.get("cognito:username"));
        assertEquals("[product staff]", claims.get("cognito:groups"));
        assertEquals("glint-local", claims.get("iss"));
    }

    @Test
    void aTokenWithAnEmailCarriesItVerifiedAsACognitoIdTokenDoesAndOneWithoutCarriesNeither() {
        LocalJwtIssuer issuer = issuerAt(NOW);
        Map<String, String> claims = issuer.verify(issuer.issue("alice", List.of(), java.util.Optional.of("alice@example.com"),
                Duration.ofHours(1))).orElseThrow();
        assertEquals("alice@example.com", claims.get("email"));
        assertEquals("true", claims.get("email_verified"), "as API Gateway hands a boolean claim to the function");
        Map<String, String> without = issuer.verify(issuer.issue("bob", List.of(), Duration.ofHours(1))).orElseThrow();
        assertEquals(null, without.get("email"));
        assertEquals(null, without.get("email_verified"));
    }

    @Test
    void expiryIsCheckedAgainstTheClock(@TempDir Path dir) {
        Path key = dir.resolve("key.der");
        String token = LocalJwtIssuer.create(key, "glint-local", Clock.fixed(NOW, ZoneOffset.UTC))
                .issue("alice", List.of(), Duration.ofMinutes(5));

        LocalJwtIssuer sameKeyLater = LocalJwtIssuer.create(key, "glint-local",
                Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        LocalJwtIssuer sameKeyNow = LocalJwtIssuer.create(key, "glint-local", Clock.fixed(NOW, ZoneOffset.UTC));

        assertTrue(sameKeyNow.verify(token).isPresent(), "a restart with the same key file keeps tokens valid");
        assertEquals(Optional.empty(), sameKeyLater.verify(token));
    }

    @Test
    void aForgedOrForeignTokenIsRefused() {
        LocalJwtIssuer issuer = issuerAt(NOW);
        String token = issuer.issue("alice", List.of(), Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"" + LocalJwtIssuer.subjectOf("mallory") + "\",\"iss\":\"glint-local\",\"aud\":\""
                        + LocalJwtIssuer.AUDIENCE + "\",\"exp\":9999999999}").getBytes());

        assertEquals(Optional.empty(), issuer.verify(parts[0] + "." + otherPayload + "." + parts[2]));
        assertEquals(Optional.empty(), issuer.verify(issuerAt(NOW).issue("alice", List.of(), Duration.ofHours(1))));
        assertEquals(Optional.empty(), issuer.verify("not-a-token"));
        assertEquals(Optional.empty(), issuer.verify(parts[0] + "." + parts[1] + "."));
    }

    @Test
    void jwksPublishesTheVerificationKey() {
        Map<String, Object> jwks = issuerAt(NOW).jwks();
        @SuppressWarnings("unchecked")
        Map<String, Object> key = ((List<Map<String, Object>>) jwks.get("keys")).get(0);
        assertEquals("RSA", key.get("kty"));
        assertEquals("RS256", key.get("alg"));
        assertEquals("AQAB", key.get("e"));
    }
}
