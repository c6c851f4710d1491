package dev.glint.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Verifies a Cognito JWT as the HTTP API's JWT authorizer does: RS256, signed by a key of the
 * issuer's JWKS (by {@code kid}), {@code iss} the issuer, the audience in {@code aud} (ID tokens) or
 * {@code client_id} (access tokens), not expired, not before its {@code nbf}.
 */
public final class JwtVerifier {

    /** Where the issuer's public keys come from. */
    public interface Keys {
        /** The key with this id, fetching the issuer's key set again if it is not known yet. */
        Optional<RSAPublicKey> key(String keyId);
    }

    /** What a valid token says about its user. */
    public record Claims(String userId, String username) {
    }

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private final String issuer;
    private final java.util.Set<String> audiences;
    private final Keys keys;
    private final Clock clock;

    public JwtVerifier(String issuer, String audience, Keys keys, Clock clock) {
        this(issuer, java.util.Set.of(audience), keys, clock);
    }

    /** @param audiences the app clients whose tokens are accepted (the HTTP API's authorizer takes several) */
    public JwtVerifier(String issuer, java.util.Set<String> audiences, Keys keys, Clock clock) {
        this.issuer = issuer;
        this.audiences = java.util.Set.copyOf(audiences);
        this.keys = keys;
        this.clock = clock;
    }

    /** The token's user, or empty if the token is not one the HTTP API would accept. */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > 16_384) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = Json.readTree(B64.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            Optional<RSAPublicKey> key = keys.key(header.path("kid").asText());
            if (key.isEmpty()) {
                return Optional.empty();
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key.get());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(B64.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = Json.readTree(B64.decode(parts[1]));
            long now = clock.instant().getEpochSecond();
            boolean audienceMatches = audiences.contains(claims.path("aud").asText(""))
                    || audiences.contains(claims.path("client_id").asText(""));
            if (!claims.isObject() || !issuer.equals(claims.path("iss").asText(null)) || !audienceMatches
                    || !claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= now
                    || (claims.has("nbf") && claims.path("nbf").asLong() > now)
                    || !claims.path("sub").isTextual() || claims.path("sub").asText().isBlank()) {
                return Optional.empty();
            }
            String username = claims.path("cognito:username").asText(claims.path("username").asText(""));
            return Optional.of(new Claims(claims.path("sub").asText(), username));
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
