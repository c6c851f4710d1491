package dev.glint.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonBodyTest {

    private static HttpRequest request(String body) {
        return new HttpRequest("PUT", "/v1/me", Map.of(), Map.of(), Map.of("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), Map.of("sub", "u"), "r");
    }

    @Test
    void nestingDeeperThanTheParserAllowsIsA400NotAnInternalError() {
        for (String body : new String[]{"[".repeat(10_000), "{\"handle\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"}) {
            ApiException refused = assertThrows(ApiException.class, () -> JsonBody.read(request(body), Set.of("handle")));

            assertEquals(400, refused.status());
            assertEquals("invalid_json", refused.code());
            assertTrue(refused.getMessage().contains("nested too deeply"), refused.getMessage());
        }
    }

    @Test
    void truncatedJsonNamesWhereItBroke() {
        ApiException refused = assertThrows(ApiException.class, () -> JsonBody.read(request("{\"handle\":"), Set.of("handle")));

        assertEquals("invalid_json", refused.code());
        assertTrue(refused.getMessage().contains("line 1"), refused.getMessage());
    }
}
