package dev.glint.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new ArrayList<>();
    private final VersionMetrics metrics = new VersionMetrics(lines::add, () -> 1_764_460_800_000L);

    @Test
    void aServerErrorIsCountedForTheVersionThatAnsweredIt() throws Exception {
        metrics.request(LocalContext.forTest("api"), 503, 12.345);

        JsonNode line = JSON.readTree(lines.get(0));
        JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals(1_764_460_800_000L, line.get("_aws").get("Timestamp").asLong());
        assertEquals("Glint", directive.get("Namespace").asText());
        assertEquals("[[\"FunctionName\",\"FunctionVersion\"]]", directive.get("Dimensions").toString());
        assertEquals("api", line.get("FunctionName").asText());
        assertEquals("7", line.get("FunctionVersion").asText(), "the version from the Lambda context");
        assertEquals(1, line.get("Requests").asInt());
        assertEquals(1, line.get("ServerErrors").asInt());
        assertEquals(12.35, line.get("Latency").asDouble());
        List<String> declared = new ArrayList<>();
        directive.get("Metrics").forEach(m -> declared.add(m.get("Name").asText() + "/" + m.get("Unit").asText()));
        assertEquals(List.of("Requests/Count", "ServerErrors/Count", "Latency/Milliseconds"), declared);
    }

    @Test
    void aClientErrorIsARequestButNoServerError() throws Exception {
        metrics.request(LocalContext.forTest("api"), 404, 1);
        assertEquals(0, JSON.readTree(lines.get(0)).get("ServerErrors").asInt());
    }

    @Test
    void failedItemsAndRecordsAreWrittenOnlyWhenSomethingFailed() throws Exception {
        metrics.failedItems(LocalContext.forTest("media-worker"), 0);
        metrics.failedRecords(LocalContext.forTest("stream-processor"), 0);
        assertTrue(lines.isEmpty(), "a clean batch costs no log line");

        metrics.failedItems(LocalContext.forTest("media-worker"), 2);
        metrics.failedRecords(LocalContext.forTest("stream-processor"), 1);
        assertEquals(2, JSON.readTree(lines.get(0)).get("FailedItems").asInt());
        assertEquals("media-worker", JSON.readTree(lines.get(0)).get("FunctionName").asText());
        assertEquals(1, JSON.readTree(lines.get(1)).get("FailedRecords").asInt());
    }

    @Test
    void eachLineIsOneJsonObjectOnOneLine() {
        metrics.request(LocalContext.forTest("api\"\n"), 200, 1);
        assertTrue(lines.get(0).startsWith("{\"_aws\":") && !lines.get(0).contains("\n"), lines.get(0));
    }
}
