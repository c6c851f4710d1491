package dev.glint.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The issuer's JSON Web Key Set, fetched over HTTPS when a token names a key not seen yet (at most
 * once a minute, so tokens with made-up key ids cannot make the function hammer the issuer), and
 * kept for the container's life: Cognito rotates keys by adding them.
 */
public final class HttpJwks implements JwtVerifier.Keys {

    private static final Logger LOG = LoggerFactory.getLogger(HttpJwks.class);
    static final Duration REFETCH_AFTER = Duration.ofMinutes(1);

    private final URI url;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, RSAPublicKey> known = new ConcurrentHashMap<>();
    private Instant lastFetch = Instant.EPOCH;

    public HttpJwks(URI url, Clock clock) {
        this.url = url;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public Optional<RSAPublicKey> key(String keyId) {
        RSAPublicKey key = known.get(keyId);
        if (key == null) {
            // One fetch at a time: a caller that arrives while one is under way waits for its keys instead of
            // finding the fetch not due and refusing a good token (the local gateway authorizes connections
            // concurrently through one instance; a Lambda container is one request at a time).
            synchronized (this) {
                key = known.get(keyId);
                if (key == null && fetchDue()) {
                    fetch();
                    key = known.get(keyId);
                }
            }
        }
        return Optional.ofNullable(key);
    }

    private synchronized boolean fetchDue() {
        Instant now = clock.instant();
        if (now.isBefore(lastFetch.plus(REFETCH_AFTER))) {
            return false;
        }
        lastFetch = now;
        return true;
    }

    private void fetch() {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warn("the key set at {} answered {}", url, response.statusCode());
                return;
            }
            for (JsonNode jwk : Json.readTree(response.body()).path("keys")) {
                if ("RSA".equals(jwk.path("kty").asText()) && jwk.hasNonNull("kid")) {
                    known.put(jwk.path("kid").asText(), rsa(jwk.path("n").asText(), jwk.path("e").asText()));
                }
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("cannot read the key set at {}", url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while reading the key set at {}", url, e);
        }
    }

    static RSAPublicKey rsa(String modulus, String exponent) throws GeneralSecurityException {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, b64.decode(modulus)), new BigInteger(1, b64.decode(exponent))));
    }
}
