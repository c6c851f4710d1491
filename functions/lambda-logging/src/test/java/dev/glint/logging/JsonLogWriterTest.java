package dev.glint.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-22T05:04:41.123456Z");

    private final BasicMDCAdapter mdc = new BasicMDCAdapter();
    private final JsonLogWriter writer = new JsonLogWriter(() -> mdc, System.out);

    @Test
    void writesPowertoolsLambdaFieldsTypedAndInTheLayoutsOrder() throws Exception {
        mdc.put("function_request_id", "req-1");
        mdc.put("cold_start", "true");
        mdc.put("function_memory_size", "1024");
        mdc.put("sampling_rate", "0.5");
        mdc.put("function_name", "api");
        mdc.put("correlation_id", "corr-9");
        mdc.put("tenant", "t1");

        String line = writer.format(Level.INFO, "dev.glint.api.ApiHandler", "served", null, null, AT);
        JsonNode node = JSON.readTree(line);

        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("level", "message", "logger", "cold_start", "function_memory_size", "function_name",
                "function_request_id", "sampling_rate", "timestamp", "correlation_id", "tenant"), names);
        assertEquals("INFO", node.get("level").asText());
        assertTrue(node.get("cold_start").isBoolean(), line);
        assertTrue(node.get("function_memory_size").isInt(), line);
        assertTrue(node.get("sampling_rate").isDouble(), line);
        assertEquals("2026-11-22T05:04:41.123Z", node.get("timestamp").asText());
        assertEquals("t1", node.get("tenant").asText());
    }

    @Test
    void escapesWhateverAMessageHolds() throws Exception {
        String message = "quote \" backslash \\ newline \n tab \t bell \u0007 line-sep \u2028 lone \ud800 pair \ud83d\ude00";
        String line = writer.format(Level.WARN, "x", message, null, null, AT);
        assertFalse(line.contains("\n"), "one line per event");
        assertEquals(message.replace("\ud800", "?"), JSON.readTree(line).get("message").asText().replace("\ud800", "?"));
        assertTrue(line.contains("\\ud800"), "a lone surrogate is escaped, not written raw: " + line);
    }

    @Test
    void writesAnErrorWithItsClassMessageAndStack() throws Exception {
        Exception cause = new IllegalStateException("inner");
        JsonNode node = JSON.readTree(writer.format(Level.ERROR, "x", "failed", new RuntimeException("outer", cause), null, AT));
        assertEquals("outer", node.at("/error/message").asText());
        assertEquals("java.lang.RuntimeException", node.at("/error/name").asText());
        assertTrue(node.at("/error/stack").asText().contains("Caused by: java.lang.IllegalStateException: inner"));
    }

    @Test
    void keyValuePairsBecomeFieldsButCannotReplaceTheFixedOnes() throws Exception {
        JsonNode node = JSON.readTree(writer.format(Level.INFO, "x", "m", null,
                List.of(new KeyValuePair("postId", "p1"), new KeyValuePair("level", "forged")), AT));
        assertEquals("p1", node.get("postId").asText());
        assertEquals("INFO", node.get("level").asText());
    }

    @Test
    void writesALinePerCall() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonLogWriter toBytes = new JsonLogWriter(() -> mdc, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        toBytes.write(Level.INFO, "x", "one", null, null);
        toBytes.write(Level.INFO, "x", "two", null, null);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("\"message\":\"two\""));
    }

    @Test
    void aMetricLineIsWrittenAsItIsSoCloudWatchReadsItsEmbeddedMetrics() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonLogWriter toBytes = new JsonLogWriter(() -> mdc, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        mdc.put("function_name", "api");
        String emf = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]},\"FunctionName\":\"api\"}";

        toBytes.write(Level.INFO, LogLevels.METRICS_LOGGER, emf, null, null);
        toBytes.write(Level.INFO, "dev.glint.api.ApiHandler", emf, null, null);

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(emf, lines[0], "the EMF document is the whole log event");
        assertEquals(emf, JSON.readTree(lines[1]).get("message").asText(), "other loggers keep the JSON layout");
    }

    @Test
    void metricLinesAreWrittenWhateverLevelTheLogIsSetTo() {
        LogLevels.set(Level.ERROR);
        try {
            assertTrue(LogLevels.enabled(LogLevels.METRICS_LOGGER, Level.INFO));
            assertFalse(LogLevels.enabled("dev.glint.api.ApiHandler", Level.INFO));
        } finally {
            LogLevels.set(null);
        }
    }
}
