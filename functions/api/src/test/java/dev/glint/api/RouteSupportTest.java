package dev.glint.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteSupportTest {

    private static HttpRequest withLimit(String limit) {
        return new HttpRequest("GET", "/v1/feed", Map.of(), limit == null ? Map.of() : Map.of("limit", limit), Map.of(),
                new byte[0], Map.of("sub", "u"), "r");
    }

    @Test
    void limitIsOneToAHundredInPlainDigits() {
        assertEquals(RouteSupport.DEFAULT_LIMIT, RouteSupport.limit(withLimit(null)));
        assertEquals(1, RouteSupport.limit(withLimit("1")));
        assertEquals(100, RouteSupport.limit(withLimit("100")));
        assertEquals(7, RouteSupport.limit(withLimit("007")));
    }

    @Test
    void aSignedFullWidthOrOutOfRangeLimitIsA400() {
        for (String bad : new String[]{"+5", "-1", "\uFF15", "\u0665", "0", "101", "1e2", "", " 5", "5 ", "99999999999"}) {
            ApiException refused = assertThrows(ApiException.class, () -> RouteSupport.limit(withLimit(bad)), bad);
            assertEquals(400, refused.status(), bad);
            assertEquals("invalid_limit", refused.code(), bad);
        }
    }

    @Test
    void aSearchPageHoldsAtMostFiftyAndSaysSo() {
        assertEquals(50, RouteSupport.limit(withLimit("50"), SearchRoutes.MAX_LIMIT));
        assertEquals(RouteSupport.DEFAULT_LIMIT, RouteSupport.limit(withLimit(null), SearchRoutes.MAX_LIMIT));
        ApiException refused = assertThrows(ApiException.class, () -> RouteSupport.limit(withLimit("51"), SearchRoutes.MAX_LIMIT));
        assertEquals("invalid_limit", refused.code());
        assertEquals("limit must be a whole number from 1 to 50.", refused.getMessage());
    }

    @Test
    void aTimeWithFractionsOfASecondIsATimeNotACursor() {
        assertEquals(false, NotificationRoutes.isCursor("2026-11-22T02:53:36.558240001Z"));
        assertEquals(false, NotificationRoutes.isCursor("2026-11-22T02:53:36Z"));
        assertEquals(false, NotificationRoutes.isCursor("01JD3X9K2M4N5P6Q7R8S9T0V1W"));
        assertEquals(true, NotificationRoutes.isCursor("eyJzayI6IngifQ.c2ln"));
    }
}
