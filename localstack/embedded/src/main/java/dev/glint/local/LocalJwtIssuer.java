package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local stand-in for Cognito: issues RS256 tokens with Cognito's claim names and verifies them
 * as the HTTP API's JWT authorizer does (signature, key id, issuer, audience, expiry). The key pair
 * is kept in the data folder so tokens survive a restart, readable by its owner only ({@link OwnerOnlyFiles}).
 */
final class LocalJwtIssuer {

    static final String AUDIENCE = "glint-local-client";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    private LocalJwtIssuer(PrivateKey privateKey, RSAPublicKey publicKey, String issuer, String audience, Clock clock) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.keyId = keyId(publicKey);
    }

    /** @param keyFile where the private key is kept, or {@code null} for a key that lives only in memory */
    static LocalJwtIssuer create(Path keyFile, String issuer, Clock clock) {
        return create(keyFile, issuer, AUDIENCE, clock);
    }

    /**
     * With the issuer and audience a template's JWT authorizer names (in template mode: the user
     * pool's issuer URL and its app client's id, as Cognito would put them in an ID token).
     */
    static LocalJwtIssuer create(Path keyFile, String issuer, String audience, Clock clock) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PrivateKey privateKey;
            if (keyFile != null && Files.exists(keyFile)) {
                OwnerOnlyFiles.tighten(keyFile);
                privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
            } else {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                privateKey = pair.getPrivate();
                if (keyFile != null) {
                    OwnerOnlyFiles.write(keyFile, privateKey.getEncoded());
                }
            }
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new LocalJwtIssuer(privateKey, publicKey, issuer, audience, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the local signing key " + keyFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the local signing key", e);
        }
    }

    String issuer() {
        return issuer;
    }

    /** The user id ({@code sub}) the local issuer gives a username: stable across restarts. */
    static String subjectOf(String username) {
        return UUID.nameUUIDFromBytes(("glint-local-user:" + username).getBytes(StandardCharsets.UTF_8)).toString();
    }

    String issue(String username, List<String> groups, Duration ttl) {
        return issue(username, groups, java.util.Optional.empty(), ttl);
    }

    /**
     * @param email a verified address, as a Cognito ID token carries it ({@code email} and
     *              {@code email_verified: true}); absent: neither claim
     */
    String issue(String username, List<String> groups, java.util.Optional<String> email, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subjectOf(username));
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("token_use", "id");
        claims.put("cognito:username", username);
        if (!groups.isEmpty()) {
            claims.put("cognito:groups", groups);
        }
        email.ifPresent(address -> {
            claims.put("email", address);
            claims.put("email_verified", true);
        });
        claims.put("iat", now);
        claims.put("exp", now + ttl.toSeconds());
        return sign(claims);
    }

    /**
     * An access token as Cognito's managed login issues one beside the ID token: the app client in
     * {@code client_id} (no {@code aud}), the granted {@code scope}, the groups, no profile claims. The
     * local gateway, like the page, takes ID tokens as bearers; this one exists so the token endpoint
     * answers as Cognito's does.
     */
    String issueAccess(String username, List<String> groups, List<String> scopes, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subjectOf(username));
        claims.put("iss", issuer);
        claims.put("client_id", audience);
        claims.put("token_use", "access");
        claims.put("scope", String.join(" ", scopes));
        claims.put("username", username);
        if (!groups.isEmpty()) {
            claims.put("cognito:groups", groups);
        }
        claims.put("iat", now);
        claims.put("exp", now + ttl.toSeconds());
        return sign(claims);
    }

    /** The app client the tokens are for ({@code aud} of an ID token): the managed login's client id. */
    String audience() {
        return audience;
    }

    private String sign(Map<String, Object> claims) {
        try {
            String header = B64.encodeToString(JSON.writeValueAsBytes(
                    Map.of("alg", "RS256", "typ", "JWT", "kid", keyId)));
            String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey);
            signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + B64.encodeToString(signer.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /**
     * Verifies a bearer token and returns its claims flattened to strings as API Gateway hands them
     * to the function (an array claim becomes {@code "[a b]"}); empty if the token is not valid.
     */
    Optional<Map<String, String>> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(B64D.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText()) || !keyId.equals(header.path("kid").asText())) {
                return Optional.empty();
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
            long now = clock.instant().getEpochSecond();
            if (!claims.isObject() || !issuer.equals(claims.path("iss").asText())
                    || !audience.equals(claims.path("aud").asText())
                    || !claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= now
                    || (claims.has("nbf") && claims.path("nbf").asLong() > now)) {
                return Optional.empty();
            }
            Map<String, String> flat = new LinkedHashMap<>();
            claims.fields().forEachRemaining(e -> flat.put(e.getKey(), flatten(e.getValue())));
            return Optional.of(flat);
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The JSON Web Key Set an authorizer would fetch from {@code /.well-known/jwks.json}. */
    Map<String, Object> jwks() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kty", "RSA");
        key.put("kid", keyId);
        key.put("use", "sig");
        key.put("alg", "RS256");
        key.put("n", B64.encodeToString(unsigned(publicKey.getModulus())));
        key.put("e", B64.encodeToString(unsigned(publicKey.getPublicExponent())));
        return Map.of("keys", List.of(key));
    }

    private static String flatten(JsonNode value) {
        if (value.isArray()) {
            StringBuilder out = new StringBuilder("[");
            value.forEach(item -> out.append(out.length() > 1 ? " " : "").append(item.asText()));
            return out.append(']').toString();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            return java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }

    private static String keyId(RSAPublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return B64.encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
