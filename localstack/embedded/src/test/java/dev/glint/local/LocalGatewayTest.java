package dev.glint.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalGatewayTest {

    /** A gateway on a free port over a handler that counts its calls and answers 200. */
    private static final class Gateway implements AutoCloseable {
        final AtomicInteger calls = new AtomicInteger();
        /** The rawPath of the last event the function got. */
        final java.util.concurrent.atomic.AtomicReference<String> rawPath = new java.util.concurrent.atomic.AtomicReference<>();
        final LocalGateway gateway;
        final int port;

        Gateway() throws Exception {
            gateway = new LocalGateway(0, (event, context) -> {
                calls.incrementAndGet();
                rawPath.set(event.getRawPath());
                return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{\"status\":\"ok\"}").build();
            }, LocalJwtIssuer.create(null, "glint-local", Clock.systemUTC()), LocalGateway.Limits.apiGateway());
            port = gateway.endpoint().getPort();
        }

        RawHttp.Response send(String method, String path, String... headers) throws Exception {
            List<Map.Entry<String, String>> lines = new ArrayList<>();
            for (int i = 0; i < headers.length; i += 2) {
                lines.add(Map.entry(headers[i], headers[i + 1]));
            }
            byte[] body = method.equals("POST") ? "{\"username\":\"alice\"}".getBytes(StandardCharsets.UTF_8) : null;
            return RawHttp.send(gateway.endpoint(), method, path.getBytes(StandardCharsets.US_ASCII), lines, body);
        }

        @Override
        public void close() {
            gateway.close();
        }
    }

    @Test
    void aRequestForAnotherHostIsRefusedWith421BeforeAnyHandlerRuns() throws Exception {
        try (Gateway local = new Gateway()) {
            int port = local.port;
            List<List<String>> forged = List.of(
                    List.of("Host", "rebind.attacker.example:" + port),
                    List.of("Host", "rebind.attacker.example"),
                    List.of("Host", "localhost.attacker.example:" + port),
                    List.of("Host", "127.0.0.1.nip.io:" + port),
                    List.of("Host", "127.0.0.1:" + (port == 65535 ? 1 : port + 1)),
                    List.of("Host", ""),
                    List.of("Host", "localhost:" + port, "Host", "rebind.attacker.example:" + port));
            for (List<String> headers : forged) {
                for (String[] request : new String[][]{{"GET", "/health"}, {"POST", "/v1/dev/token"}, {"GET", "/.well-known/jwks.json"}}) {
                    RawHttp.Response response = local.send(request[0], request[1], headers.toArray(String[]::new));

                    assertEquals(421, response.status(), headers + " " + request[1] + ": " + response.text());
                    String message = Json.readTree(response.text()).path("message").asText();
                    assertTrue(message.contains("localhost:" + port) && message.contains("127.0.0.1:" + port)
                            && message.contains("[::1]:" + port), message);
                    assertFalse(response.text().contains("token\""), "no token for a rebound page: " + response.text());
                }
            }
            assertEquals(0, local.calls.get(), "the api function never ran");
        }
    }

    @Test
    void aRequestForALoopbackNameItServesGoesThrough() throws Exception {
        try (Gateway local = new Gateway()) {
            int port = local.port;
            for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost:" + port,
                    "localhost", "127.0.0.1", "[::1]")) {
                assertEquals(200, local.send("GET", "/health", "Host", host).status(), host);
            }
            assertEquals(7, local.calls.get());
            RawHttp.Response token = local.send("POST", "/v1/dev/token", "Host", "localhost:" + port);
            assertEquals(200, token.status(), token.text());
            assertTrue(Json.readTree(token.text()).path("token").asText().startsWith("ey"), token.text());
        }
    }

    @Test
    void aCrossSiteBrowserPostForADevelopmentTokenIsRefused() throws Exception {
        try (Gateway local = new Gateway()) {
            int port = local.port;
            for (String origin : List.of("http://attacker.example", "null", "http://localhost:" + (port == 65535 ? 1 : port + 1),
                    "https://localhost:" + port)) {
                RawHttp.Response refused = local.send("POST", "/v1/dev/token", "Origin", origin, "Content-Type", "text/plain");

                assertEquals(403, refused.status(), origin + ": " + refused.text());
                assertTrue(Json.readTree(refused.text()).path("message").asText().contains("http://localhost:" + port),
                        refused.text());
                assertFalse(refused.text().contains("token\""), refused.text());
            }
            for (String origin : List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port)) {
                assertEquals(200, local.send("POST", "/v1/dev/token", "Origin", origin).status(), origin);
            }
        }
    }

    @Test
    void repeatedQueryParametersAreJoinedWithCommasAsApiGatewayDoes() {
        assertEquals(Map.of("a", "1,2", "b", " c", "flag", ""), LocalGateway.queryParameters("a=1&b=%20c&a=2&flag"));
        assertNull(LocalGateway.queryParameters(""));
    }

    @Test
    void jsonBodiesPassAsTextAndBinaryOrInvalidUtf8AsBase64() {
        var json = LocalGateway.encodeBody("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8");
        assertFalse(json.base64());
        assertEquals("{\"a\":\"é\"}", json.text());

        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        var binary = LocalGateway.encodeBody(png, "image/png");
        assertTrue(binary.base64());
        assertEquals(Base64.getEncoder().encodeToString(png), binary.text());

        byte[] invalidUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        var invalid = LocalGateway.encodeBody(invalidUtf8, "application/json");
        assertTrue(invalid.base64(), "the handler must see the exact bytes to reject them");

        var empty = LocalGateway.encodeBody(new byte[0], "application/json");
        assertNull(empty.text());
        assertFalse(empty.base64());
    }

    @Test
    void aRequestLineLongerThanApiGatewaysQuotaIs414BeforeAnyHandlerRuns() throws Exception {
        try (Gateway local = new Gateway()) {
            // "GET " + target + " HTTP/1.1": exactly the quota passes, one byte more does not.
            String prefix = "/health?pad=";
            int fits = LocalGateway.MAX_REQUEST_LINE_BYTES - "GET ".length() - " HTTP/1.1".length() - prefix.length();
            assertEquals(200, local.send("GET", prefix + "x".repeat(fits)).status());
            assertEquals(1, local.calls.get());

            for (int length : new int[]{fits + 1, 100_000, 1_000_000}) {
                RawHttp.Response response = local.send("GET", prefix + "x".repeat(length));

                assertEquals(414, response.status(), "a target of " + length + " bytes");
                assertEquals("Request-URI Too Long", Json.readTree(response.text()).path("message").asText());
            }
            assertEquals(1, local.calls.get(), "the api function never ran for a line too long");
        }
    }

    @Test
    void pathsReachTheFunctionAsSentWithRepeatedLeadingSlashesAsOneAndNoAuthority() throws Exception {
        try (Gateway local = new Gateway()) {
            String token = Json.readTree(local.send("POST", "/v1/dev/token").text()).path("token").asText();
            Map<String, String> sentAndPassed = new java.util.LinkedHashMap<>();
            sentAndPassed.put("//evil.example/v1/me", "/evil.example/v1/me");
            sentAndPassed.put("//user@evil.example:80/v1/me?x=1", "/user@evil.example:80/v1/me");
            sentAndPassed.put("///v1/me", "/v1/me");
            sentAndPassed.put("/v1//me", "/v1//me");
            sentAndPassed.put("/v1/users/../me", "/v1/users/../me");
            sentAndPassed.put("/v1/./me", "/v1/./me");
            sentAndPassed.put("/v1/%2e%2e/me", "/v1/%2e%2e/me");
            sentAndPassed.put("/v1/me/", "/v1/me/");
            for (Map.Entry<String, String> path : sentAndPassed.entrySet()) {
                RawHttp.Response response = local.send("GET", path.getKey(), "Authorization", "Bearer " + token);

                assertEquals(200, response.status(), path.getKey());
                assertEquals(path.getValue(), local.rawPath.get(), path.getKey());
            }
            // A dot segment never turns a route that needs a token into a public one.
            int before = local.calls.get();
            assertEquals(401, local.send("GET", "/health/../v1/me").status());
            assertEquals(401, local.send("GET", "/./health").status());
            assertEquals(before, local.calls.get());
        }
    }

    @Test
    void headOnAPublicGetRouteIsPublicToo() throws Exception {
        try (Gateway local = new Gateway()) {
            for (String path : List.of("/", "/console", "/assets/main-Bp2EPwKM.js", "/health", "/openapi.yaml")) {
                RawHttp.Response response = local.send("HEAD", path);

                assertEquals(200, response.status(), path);
                assertEquals("HEAD " + path, "HEAD " + local.rawPath.get());
            }
            assertEquals(401, local.send("HEAD", "/v1/me").status());
        }
    }
}
