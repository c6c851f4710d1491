package dev.glint.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code $connect} authorizer on the sample REQUEST event, with tokens signed in the test. */
class AuthorizerHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");
    private static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example";
    private static final String CLIENT = "client123";
    private static final KeyPair KEYS = keys();
    private static final KeyPair OTHER = keys();

    private final AuthorizerHandler handler = new AuthorizerHandler(new JwtVerifier(ISSUER, CLIENT,
            kid -> kid.equals("k1") ? Optional.of((RSAPublicKey) KEYS.getPublic()) : Optional.empty(),
            Clock.fixed(NOW, ZoneOffset.UTC)));

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(KeyPair pair, String kid, Map<String, Object> claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(Json.write(Map.of("alg", "RS256", "kid", kid)).getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(signer.sign());
    }

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "user-1");
        claims.put("iss", ISSUER);
        claims.put("aud", CLIENT);
        claims.put("token_use", "id");
        claims.put("cognito:username", "alice");
        claims.put("exp", NOW.getEpochSecond() + 600);
        return claims;
    }

    private IamPolicyResponseV1 authorize(String token) {
        var event = SampleEvents.load("websocket/authorizer-request.json", APIGatewayCustomAuthorizerEvent.class);
        event.setQueryStringParameters(token == null ? Map.of() : Map.of("token", token));
        return handler.handleRequest(event, LocalContext.forTest("realtime-authorizer"));
    }

    @SuppressWarnings("unchecked")
    private static String effect(IamPolicyResponseV1 response) {
        var statements = (Object[]) response.getPolicyDocument().get("Statement");
        return (String) ((Map<String, Object>) statements[0]).get("Effect");
    }

    @Test
    void aValidTokenConnectsAsItsUser() throws Exception {
        var response = authorize(token(KEYS, "k1", claims()));
        assertEquals("Allow", effect(response));
        assertEquals("user-1", response.getPrincipalId());
        assertEquals(Map.of("userId", "user-1", "username", "alice"), response.getContext());
        assertEquals("{\"principalId\":\"user-1\"", Json.write(AuthorizerLambda.toJson(response)).substring(0, 23));
    }

    @Test
    void anAccessTokenNamesItsClientInClientId() throws Exception {
        Map<String, Object> claims = claims();
        claims.remove("aud");
        claims.put("client_id", CLIENT);
        claims.put("token_use", "access");
        assertEquals("Allow", effect(authorize(token(KEYS, "k1", claims))));
    }

    @Test
    void everyOtherTokenIsDenied() throws Exception {
        Map<String, Object> expired = claims();
        expired.put("exp", NOW.getEpochSecond() - 1);
        Map<String, Object> otherIssuer = claims();
        otherIssuer.put("iss", "glint-local");
        Map<String, Object> otherAudience = claims();
        otherAudience.put("aud", "someone-else");
        for (String token : java.util.Arrays.asList(null, "", "not.a.token", token(KEYS, "k1", expired),
                token(KEYS, "k1", otherIssuer), token(KEYS, "k1", otherAudience), token(OTHER, "k1", claims()),
                token(KEYS, "unknown", claims()))) {
            var response = authorize(token);
            assertEquals("Deny", effect(response), String.valueOf(token));
            assertEquals(Map.of(), response.getContext());
        }
    }

    @Test
    void theResponseIsWhatApiGatewayReads() throws Exception {
        String json = Json.write(AuthorizerLambda.toJson(authorize(token(KEYS, "k1", claims()))));
        var tree = Json.readTree(json);
        assertEquals("execute-api:Invoke", tree.path("policyDocument").path("Statement").get(0).path("Action").asText());
        assertEquals(List.of("arn:aws:execute-api:us-east-1:123456789012:abcdef123/live/$connect"),
                List.of(tree.path("policyDocument").path("Statement").get(0).path("Resource").get(0).asText()));
    }
}
