package dev.glint.shared.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Statistics;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.messages.FanoutJob;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    /** Jackson's data binding with its defaults: what Glint wrote before, and what clients expect. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private enum Kind { PHOTO }

    @Test
    void writesWhatTheDataBindingMapperWrites() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "quote \" slash \\ newline \n control \u0001 accents é emoji \ud83d\ude00");
        body.put("nothing", null);
        body.put("int", 7);
        body.put("long", 1L << 40);
        body.put("double", 0.1 + 0.2);
        body.put("tiny", 1e-9);
        body.put("notANumber", Double.NaN);
        body.put("decimal", new BigDecimal("12.50"));
        body.put("big", new BigInteger("123456789012345678901234567890"));
        body.put("flag", true);
        body.put("kind", Kind.PHOTO);
        body.put("bytes", "raw".getBytes(StandardCharsets.UTF_8));
        body.put("ints", new int[]{1, 2});
        body.put("list", List.of(Map.of("a", 1), List.of()));
        body.put("message", FanoutJob.firstPage("p1", "u1"));
        body.put("results", new Experiments.Results(
                new Experiments.Summary("feed-ranking", "d", "running", List.of(new Variant("a", 50)), "a",
                        List.of("like"), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 100, 0.1, List.of()),
                "0a1b2c", new Statistics.SampleRatio(0.5, 1, 0.47, false),
                List.of(new Experiments.MetricResult("like", List.of(
                        new Experiments.VariantResult("a", true, 10, 2, 0.2, null, null),
                        new Experiments.VariantResult("b", false, 10, 3, 0.3, null,
                                new Statistics.Sequential(0.9, -0.3, 0.5, 0.025))),
                        new Experiments.SampleSize(0.1, 0.2, null, false))),
                List.of(new Experiments.RevisionResult("ffeedd", new java.util.LinkedHashMap<>(Map.of("a", 50)),
                        new Statistics.SampleRatio(0, 0, 1, false), List.of())), List.of()));
        body.put("tree", MAPPER.readTree("{\"x\":[1,2.5,\"s\",null,true,{\"y\":{}}]}"));

        assertEquals(MAPPER.writeValueAsString(body), Json.write(body));
    }

    private record View(String id, java.util.Optional<String> reason, String handle) {
    }

    @Test
    void anEmptyOptionalComponentIsLeftOutAndAPresentOneIsItsValue() {
        assertEquals("{\"id\":\"p1\",\"handle\":null}", Json.write(new View("p1", java.util.Optional.empty(), null)));
        assertEquals("{\"id\":\"p1\",\"reason\":\"too big\",\"handle\":\"al\"}",
                Json.write(new View("p1", java.util.Optional.of("too big"), "al")));
    }

    @Test
    void refusesWhatItCannotWriteFaithfully() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("when", java.time.Instant.EPOCH)));
    }

    @Test
    void anOptionalOutsideARecordIsItsValueOrNull() {
        assertEquals("[1,null]", Json.write(List.of(java.util.Optional.of(1), java.util.Optional.empty())));
    }

    @Test
    void readsTreesAsTheMapperDoes() throws Exception {
        String text = "{\"a\":[1,3000000000,123456789012345678901234567890,1.5,-0.0,\"s\",null,false],\"b\":{\"c\":{}}}";
        assertEquals(MAPPER.readTree(text), Json.readTree(text));
        assertEquals(MAPPER.readTree(text), Json.readTree(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(Json.readTree("").isMissingNode());
        assertTrue(Json.readTree("  ").isMissingNode());
    }

    @Test
    void refusesDuplicateKeysTrailingValuesAndDeepNesting() {
        assertThrows(JsonProcessingException.class, () -> Json.readTree("{\"a\":1,\"a\":2}"));
        assertThrows(JsonProcessingException.class, () -> Json.readTree("{\"a\":{\"b\":1,\"b\":1}}"));
        assertThrows(JsonProcessingException.class, () -> Json.readTree("{} {}"));
        assertThrows(JsonProcessingException.class, () -> Json.readTree("[1] x"));
        assertThrows(JsonProcessingException.class, () -> Json.readTree("{\"a\":"));
        assertThrows(JsonProcessingException.class, () -> Json.readTree("[1,]"));
        char[] open = new char[5000];
        Arrays.fill(open, '[');
        assertThrows(StreamConstraintsException.class, () -> Json.readTree(new String(open)));
    }

    @Test
    void readsAnObjectOfStringsOnly() throws Exception {
        assertEquals(Map.of("pk", "P#1", "sk", "S"), Json.readStringMap("{\"pk\":\"P#1\",\"sk\":\"S\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(JsonProcessingException.class, () -> Json.readStringMap("{\"pk\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(JsonProcessingException.class, () -> Json.readStringMap("[\"pk\"]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(JsonProcessingException.class, () -> Json.readStringMap("{\"pk\":null}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void treesRoundTrip() throws Exception {
        JsonNode tree = Json.readTree("{\"a\":[1,{\"b\":\"c\"}],\"d\":null}");
        assertEquals(tree, Json.readTree(Json.write(tree)));
    }
}
