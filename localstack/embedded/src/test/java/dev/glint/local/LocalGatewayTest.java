package dev.glint.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalGatewayTest {

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
}
