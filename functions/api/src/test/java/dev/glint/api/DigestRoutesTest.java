package dev.glint.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The unsubscribe page's form may post to this API's own unsubscribe route and nowhere else. */
class DigestRoutesTest {

    private static HttpRequest request(Map<String, String> headers) {
        return new HttpRequest("GET", "/v1/unsubscribe", Map.of(), Map.of("token", "t"), headers, new byte[0], Map.of(), "r1");
    }

    @Test
    void theFormTargetIsTheUnsubscribeRouteOnTheRequestsOwnOrigin() {
        assertEquals("https://api.glint.photos/v1/unsubscribe",
                DigestRoutes.formTarget(request(Map.of("host", "api.glint.photos", "x-forwarded-proto", "https"))));
        assertEquals("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/unsubscribe",
                DigestRoutes.formTarget(request(Map.of("host", "abc123.execute-api.eu-west-1.amazonaws.com"))));
        assertEquals("http://localhost:8080/v1/unsubscribe", DigestRoutes.formTarget(request(Map.of("host", "localhost:8080"))));
    }

    @Test
    void aHostThatCouldBreakThePolicyAllowsNoFormPostAtAll() {
        assertEquals("'none'", DigestRoutes.formTarget(request(Map.of())));
        assertEquals("'none'", DigestRoutes.formTarget(request(Map.of("host", "evil.example; script-src *"))));
        assertEquals("'none'", DigestRoutes.formTarget(request(Map.of("host", "a b"))));
    }
}
