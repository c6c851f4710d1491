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

    @Test
    void aLoneSurrogateEscapedInAnyStringIsA400InvalidTextThatNamesTheField() {
        // As JSON text on the wire: the escapes, not the characters (which no UTF-8 body can carry).
        String[][] cases = {
                {"{\"bio\":\"a\\ud800b\"}", "bio"},
                {"{\"bio\":\"ends \\udbff\"}", "bio"},
                {"{\"bio\":\"#t\\udc00ag\"}", "bio"},
                {"{\"bio\":\"\\ude00\\ud83d\"}", "bio"},
                {"{\"handle\":\"ok\",\"bio\":[\"x\",\"\\ud800\"]}", "bio[1]"},
                {"{\"bio\":{\"inner\":\"\\udfff\"}}", "bio.inner"},
        };
        for (String[] c : cases) {
            ApiException refused = assertThrows(ApiException.class, () -> JsonBody.read(request(c[0]), Set.of("handle", "bio")), c[0]);

            assertEquals(400, refused.status(), c[0]);
            assertEquals("invalid_text", refused.code(), c[0]);
            assertTrue(refused.getMessage().startsWith(c[1] + " holds a lone surrogate"), refused.getMessage());
        }
        ApiException name = assertThrows(ApiException.class, () -> JsonBody.read(request("{\"b\\ud800\":\"x\"}"), Set.of("bio")));
        // A field name: Jackson's parser refuses it first (invalid_json); refused either way.
        assertEquals(400, name.status());
    }

    @Test
    void wholeCharactersEscapedAsPairsAreReadExactlyAsSent() {
        JsonBody body = JsonBody.read(request("{\"bio\":\"sea \\ud83c\\udf0a #t\\u00e4g\"}"), Set.of("bio"));

        assertEquals("sea \ud83c\udf0a #t\u00e4g", body.optionalString("bio").orElseThrow());
    }
}
