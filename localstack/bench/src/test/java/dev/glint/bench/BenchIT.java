package dev.glint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark in its quick mode, so none can rot: each runs against its reference, writes its
 * JSON, and what it measures is right (counts match, no errors, the renditions exist). Times are
 * never asserted: on a shared machine they mean nothing.
 */
class BenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("glint.events.dir", "../events")).getParent().toAbsolutePath();
    private static Bench.Settings settings;

    @BeforeAll
    static void settings() {
        settings = new Bench.Settings(ROOT, ROOT.resolve("localstack/bench/target/bench-it"), true);
    }

    private static JsonNode written(Report report) throws Exception {
        Path file = settings.out().resolve(report.name() + ".json");
        assertTrue(Files.isRegularFile(file), file + " is written");
        JsonNode json = JSON.readTree(file.toFile());
        assertEquals(report.name(), json.path("benchmark").asText());
        assertEquals(report.records().size(), json.path("rows").size());
        return json;
    }

    private static Report run(String name) throws Exception {
        Report report = Bench.run(name, settings);
        report.print(System.out);
        report.write(settings.out());
        return report;
    }

    @Test
    void coldStartLaunchesEveryJarAndTheFloorInFreshJvmsAndKeepsJarsSmall() throws Exception {
        Report report = run("coldstart");

        JsonNode json = written(report);
        Set<String> seen = new HashSet<>();
        for (JsonNode row : json.path("rows")) {
            seen.add(row.path("jar").asText() + "/" + row.path("variant").asText());
            assertTrue(row.path("medianMs").asDouble() > 0, row.toString());
            assertTrue(row.path("classesLoaded").asLong() > 1000, "a JVM that ran a handler loaded classes: " + row);
            assertEquals(2, row.path("runsMs").size(), row.toString());
        }
        for (String jar : List.of("floor", "floor-stream", "api", "media-worker", "fanout-worker", "stream-processor")) {
            for (String variant : List.of("default", "appcds+c1")) {
                assertTrue(seen.contains(jar + "/" + variant), jar + " " + variant + " measured: " + seen);
            }
        }
        String apiResponse = (String) report.records().stream().filter(r -> r.get("jar").equals("api")).findFirst()
                .orElseThrow().get("response");
        assertEquals(200, JSON.readTree(apiResponse).path("statusCode").asInt(), "the api jar answered its first event: " + apiResponse);
        for (String worker : List.of("media-worker", "fanout-worker", "stream-processor")) {
            String response = (String) report.records().stream().filter(r -> r.get("jar").equals(worker)).findFirst()
                    .orElseThrow().get("response");
            JsonNode batch = JSON.readTree(response);
            assertTrue(batch.path("batchItemFailures").isArray() && batch.path("batchItemFailures").isEmpty(),
                    worker + " handled its first batch through its Lambda entry point: " + response);
        }
        Report.Check size = report.checks().stream().filter(c -> c.target().contains("20 MB")).findFirst().orElseThrow();
        assertTrue(size.met(), size.detail());
    }

    @Test
    void thumbnailsMakesEveryRenditionAndComparesWithTheToolsThatAreInstalled() throws Exception {
        Report report = run("thumbnails");

        JsonNode json = written(report);
        Set<String> tools = new HashSet<>();
        for (JsonNode row : json.path("rows")) {
            tools.add(row.path("tool").asText());
            assertTrue(row.has("missing") || row.path("medianMs").asDouble() > 0, row.toString());
        }
        assertEquals(Set.of("glint", "vips", "imagemagick"), tools, "each tool is measured or reported missing");
        // Quality is deterministic (unlike time), so it is held here: Glint's renditions are scored, and match vips's.
        for (JsonNode row : json.path("rows")) {
            if (row.path("tool").asText().equals("glint")) {
                for (String rendition : List.of("w1080", "w640", "thumb")) {
                    double psnr = row.path("quality").path(rendition).path("psnrDb").asDouble();
                    assertTrue(psnr > 25, row.path("image").asText() + " " + rendition + ": " + psnr + " dB");
                }
            }
        }
        report.checks().stream().filter(c -> c.target().contains("0.3 dB")).forEach(c -> assertTrue(c.met(), c.detail()));
        Path renditions = settings.out().resolve("thumbnails/photo-12mp-jpg");
        BufferedImage thumb = ImageIO.read(renditions.resolve("glint-thumb.jpg").toFile());
        assertEquals(150, thumb.getWidth());
        assertEquals(150, thumb.getHeight());
        assertEquals(1080, ImageIO.read(renditions.resolve("glint-w1080.jpg").toFile()).getWidth());
        assertEquals(640, ImageIO.read(renditions.resolve("glint-w640.jpg").toFile()).getWidth());
    }

    @Test
    void requestCostCountsEachOperationAndPricesAUserDay() throws Exception {
        Report report = run("cost");

        written(report);
        Report.Check feed = report.checks().stream().filter(c -> c.target().startsWith("feed read")).findFirst().orElseThrow();
        assertTrue(feed.met(), feed.detail());
        Map<String, Object> photo = report.records().stream().filter(r -> "post a photo".equals(r.get("operation"))
                && r.containsKey("byFunction")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parts = (List<Map<String, Object>>) photo.get("byFunction");
        Set<String> functions = new HashSet<>();
        parts.forEach(p -> functions.add((String) p.get("function")));
        assertTrue(functions.containsAll(Set.of("api", "media-worker", "fanout-worker", "client")),
                "a photo post is counted through the whole pipeline: " + functions);
        Map<String, Object> media = parts.stream().filter(p -> p.get("function").equals("media-worker")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Long> calls = (Map<String, Long>) media.get("successfulCalls");
        assertEquals(3L, calls.get("S3.PutObject").longValue(), "three renditions written: " + media);
        assertTrue(((Number) report.details().get("monthlyDollars")).doubleValue() > 0);

        // Realtime and digests: what each socket got is checked by the benchmark itself (it stops on a stray message).
        Report realtime = report.companions().stream().filter(r -> r.name().equals("realtime-cost")).findFirst().orElseThrow();
        assertTrue(Files.isRegularFile(settings.out().resolve("realtime-cost.json")), "written beside cost.json");
        Map<String, Object> post = realtime.records().stream().filter(r -> "post".equals(r.get("event"))
                && Integer.valueOf(10).equals(r.get("followersConnected"))).findFirst().orElseThrow();
        assertEquals(10.0, ((Number) post.get("messagesReceived")).doubleValue(), "one nudge per connected follower: " + post);
        Map<String, Object> like = realtime.records().stream().filter(r -> "like".equals(r.get("event"))
                && Integer.valueOf(10).equals(r.get("followersConnected"))).findFirst().orElseThrow();
        assertEquals(1.0, ((Number) like.get("messagesReceived")).doubleValue(), "a like messages its author only: " + like);
        List<Map<String, Object>> star = realtime.records().stream().filter(r -> String.valueOf(r.get("event")).contains("by a celebrity"))
                .toList();
        assertEquals(2, star.size());
        star.forEach(s -> assertEquals(0.0, ((Number) s.get("messagesPosted")).doubleValue(), "a celebrity's post nudges nobody: " + s));
        Map<String, Object> digest = realtime.records().stream().filter(r -> String.valueOf(r.get("event")).startsWith("digest"))
                .findFirst().orElseThrow();
        assertEquals(1.0, ((Number) digest.get("sesSends")).doubleValue(), "one email per digest user: " + digest);
    }

    @Test
    void theErasureBenchmarkErasesTheSeededAccountAndCountsItsRequests() throws Exception {
        Report report = run("erasure");

        written(report);
        assertEquals(1, report.records().size());
        var record = report.records().get(0);
        assertEquals(20, ((Number) record.get("posts")).intValue());
        assertEquals(200, ((Number) record.get("followers")).intValue());
        assertTrue(((Number) record.get("dynamoDbRequests")).longValue() > 0, record.toString());
        assertTrue(((Number) record.get("s3Requests")).longValue() > 0, "renditions and uploads are listed and deleted: " + record);
        assertEquals(0, report.failedChecks(), report.checks().toString());
    }

    @Test
    void theSplitBenchmarkServesBothArmsWithEqualAnswersAndPricesTheRouting() throws Exception {
        Report report = run("split");

        written(report);
        assertEquals(List.of("$LATEST", "1"), report.records().stream().map(r -> (String) r.get("version")).toList());
        for (var record : report.records()) {
            assertEquals(60, ((Number) record.get("requests")).intValue(), "two measured blocks of 30 per arm: " + record);
        }
        double routing = ((Number) report.details().get("routingNanosPerRequest")).doubleValue();
        assertTrue(routing > 0 && Double.isFinite(routing), "the version choice is timed: " + routing);
    }

    @Test
    @SuppressWarnings("unchecked")
    void loadRunsTheMixWithoutErrorsAndTheApiCountsWhatTheClientsDid() throws Exception {
        Report report = run("load");

        written(report);
        assertEquals(2, report.checks().size());
        for (Report.Check check : report.checks()) {
            assertTrue(check.met(), check.target() + ": " + check.detail());
        }
        assertFalse(report.records().isEmpty());
        assertTrue(report.records().stream().anyMatch(r -> "GET /v1/feed".equals(r.get("route"))));
        // Clients revalidate the feed page they hold, and unchanged pages are answered 304.
        Map<String, Object> etags = (Map<String, Object>) report.details().get("feedEtags");
        assertTrue(((Number) etags.get("revalidations")).longValue() > 0, etags.toString());
        assertTrue(((Number) etags.get("notModified")).longValue() > 0, etags.toString());
    }
}
