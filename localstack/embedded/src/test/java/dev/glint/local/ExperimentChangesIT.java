package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.experiments.Assignment;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.feed.Feeds;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Experiments changed at run time through the API, on the running local stack (its AppConfig
 * emulation, the functions polling it every second): a product manager creates the feed-ranking
 * experiment, changes its weights and stops it; readers' feeds follow each change without a restart,
 * results follow the new revision, a stopped experiment serves the control and counts no one, other
 * users are refused, an edit on a stale version is refused, and every change is in the log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentChangesIT {

    private static final Instant START = Instant.now().minus(Duration.ofDays(1));
    private static final Instant END = Instant.now().plus(Duration.ofDays(1));
    private static final String ID = Feeds.RANKING_EXPERIMENT;
    private static final String PM = "pm_" + UUID.randomUUID().toString().substring(0, 6);
    private static final List<Variant> EVEN = List.of(new Variant("chronological", 1), new Variant("affinity", 1));
    private static final List<Variant> MOSTLY_CONTROL = List.of(new Variant("chronological", 3), new Variant("affinity", 1));

    /** No experiment at start: the product manager creates the only one. */
    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withExperiments(ExperimentConfig.none()));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    /** Readers: in the treatment at even weights and moved to the control at 3:1; in the treatment at both. */
    private static String moved;
    private static String staying;

    private static Experiment ranking(List<Variant> variants) {
        return new Experiment(ID, "ranking at run time", Experiment.FEED, variants, "chronological", List.of("likes"),
                START, END, 100);
    }

    /** The first user name (of a fixed pattern) whose variants under the two splits are the ones asked. */
    private static String reader(String prefix, String atEven, String atMostlyControl) {
        for (int i = 0; ; i++) {
            String name = prefix + i;
            String user = LocalJwtIssuer.subjectOf(name);
            if (Assignment.variantOf(ranking(EVEN), user).orElseThrow().equals(atEven)
                    && Assignment.variantOf(ranking(MOSTLY_CONTROL), user).orElseThrow().equals(atMostlyControl)) {
                return name;
            }
        }
    }

    private static String order(String reader) {
        Reply feed = api.get(reader, "/v1/feed");
        assertEquals(200, feed.status(), feed.body());
        return feed.json().path("order").asText();
    }

    private static void awaitOrder(String reader, String order) throws InterruptedException {
        ApiClient.await(() -> order.equals(order(reader)));
    }

    private static JsonNode list(String user) {
        Reply reply = api.get(user, "/v1/experiments");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static int version() {
        return list(PM).path("version").asInt();
    }

    private static Reply patch(String user, Object body, String ifMatch) throws Exception {
        Map<String, String> headers = ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch);
        return api.sendBytes("PATCH", "/v1/experiments/" + ID, user,
                ApiClient.JSON.writeValueAsBytes(body), "application/json", headers);
    }

    private static List<Map<String, Object>> weights(List<Variant> variants) {
        return variants.stream().map(v -> Map.<String, Object>of("name", v.name(), "weight", v.weight())).toList();
    }

    private static JsonNode results() {
        Reply reply = api.get(PM, "/v1/experiments/" + ID + "/results");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static long exposures(JsonNode revision, String variant) {
        for (JsonNode v : revision.path("metrics").get(0).path("variants")) {
            if (v.path("name").asText().equals(variant)) {
                return v.path("exposures").asLong();
            }
        }
        return 0;
    }

    @Test
    @Order(1)
    void aProductManagerCreatesAnExperimentAndReadersAreServedItWithoutARestart() throws Exception {
        api.tokenWithGroups(PM, "product");
        api.signUp(PM, PM);
        moved = reader("moved_", "affinity", "chronological");
        staying = reader("staying_", "affinity", "affinity");
        assertEquals("newest", order(moved), "no experiment yet");
        int before = version();

        // Anyone else is refused, and nothing changes.
        String other = api.newUser("someone");
        Reply refused = api.json("POST", other, "/v1/experiments", ExperimentConfig.toNode(ranking(EVEN)));
        assertEquals(403, refused.status(), refused.body());
        assertEquals(403, patch(other, Map.of("allocation", 50), "\"" + before + "\"").status());
        assertEquals(403, api.get(other, "/v1/experiments/" + ID + "/changes").status());
        assertEquals(before, version());

        Reply created = api.json("POST", PM, "/v1/experiments", ExperimentConfig.toNode(ranking(EVEN)));
        assertEquals(201, created.status(), created.body());
        assertEquals(before + 1, created.json().path("version").asInt());
        assertEquals(before + 1, version());
        assertEquals("running", created.json().path("experiment").path("status").asText());

        // The functions poll the local AppConfig every second: the feed follows without a restart.
        awaitOrder(moved, "interactions");
        awaitOrder(staying, "interactions");
    }

    @Test
    @Order(2)
    void newWeightsTakeEffectWithoutARestartAndResultsFollowTheNewRevision() throws Exception {
        String evenRevision = ranking(EVEN).revision();
        ApiClient.await(() -> stack.streamCaughtUp() && exposures(results(), "affinity") >= 2);
        assertEquals(evenRevision, results().path("revision").asText());

        int version = version();
        Reply changed = patch(PM, Map.of("variants", weights(MOSTLY_CONTROL), "reason", "scale affinity down"),
                "\"" + version + "\"");
        assertEquals(200, changed.status(), changed.body());
        assertEquals(version + 1, changed.json().path("version").asInt());
        assertEquals(3, changed.json().path("experiment").path("variants").get(0).path("weight").asInt());

        awaitOrder(moved, "newest");
        assertEquals("interactions", order(staying), "a reader the new split keeps in the treatment stays there");

        // Results: the current revision is the new split's (its readers counted afresh); the even split is earlier.
        String newRevision = ranking(MOSTLY_CONTROL).revision();
        ApiClient.await(() -> stack.streamCaughtUp() && exposures(results(), "chronological") >= 1
                && exposures(results(), "affinity") >= 1);
        JsonNode results = results();
        assertEquals(newRevision, results.path("revision").asText());
        assertEquals(3, results.path("experiment").path("variants").get(0).path("weight").asInt());
        JsonNode earlier = results.path("earlierRevisions");
        assertEquals(1, earlier.size(), results.toString());
        assertEquals(evenRevision, earlier.get(0).path("revision").asText());
        assertTrue(exposures(earlier.get(0), "affinity") >= 2, earlier.toString());
    }

    @Test
    @Order(3)
    void anEditOnAStaleVersionOrAnInvalidOneIsRefusedAndChangesNothing() throws Exception {
        int version = version();
        Reply first = patch(PM, Map.of("allocation", 90), "\"" + version + "\"");
        assertEquals(200, first.status(), first.body());
        // A second product manager who read the same version.
        Reply second = patch(PM, Map.of("allocation", 80), "\"" + version + "\"");
        assertEquals(412, second.status(), second.body());
        assertEquals("version_mismatch", second.errorCode());
        assertTrue(second.json().path("error").path("message").asText().contains("now " + (version + 1)), second.body());
        assertEquals(version + 1, version());
        assertEquals(90, list(PM).path("items").get(0).path("allocation").asInt());

        Reply noIfMatch = patch(PM, Map.of("allocation", 80), null);
        assertEquals(428, noIfMatch.status(), noIfMatch.body());
        Reply invalid = patch(PM, Map.of("variants", List.of(Map.of("name", "a", "weight", 1), Map.of("name", "b", "weight", 1))),
                "\"" + (version + 1) + "\"");
        assertEquals(400, invalid.status(), invalid.body());
        assertTrue(invalid.json().path("error").path("message").asText().contains("control must name one of its variants"),
                invalid.body());
        Reply unknownField = patch(PM, Map.of("end", "2030-01-01T00:00:00Z"), "\"" + (version + 1) + "\"");
        assertEquals(400, unknownField.status(), unknownField.body());
        Reply longReason = patch(PM, Map.of("allocation", 80, "reason", "x".repeat(501)), "\"" + (version + 1) + "\"");
        assertEquals(400, longReason.status(), longReason.body());
        assertEquals(version + 1, version());

        // Put the allocation back, so every reader is in the experiment again: as HTTP has it, with the list's
        // ETag sent back in If-Match (it is led by the version it was read at), which is stale once used.
        String etag = api.get(PM, "/v1/experiments").raw().headers().firstValue("etag").orElseThrow();
        assertTrue(etag.startsWith("\"" + (version + 1) + "."), etag);
        assertEquals(200, patch(PM, Map.of("allocation", 100), etag).status());
        Reply stale = patch(PM, Map.of("allocation", 90), etag);
        assertEquals(412, stale.status(), stale.body());
        assertEquals(100, list(PM).path("items").get(0).path("allocation").asInt());
    }

    @Test
    @Order(4)
    void aStoppedExperimentServesEveryoneTheControlAndCountsNoOne() throws Exception {
        Reply stopped = patch(PM, Map.of("status", "stopped", "reason", "comments dropped\n–10 % ✓"), "\"" + version() + "\"");
        assertEquals(200, stopped.status(), stopped.body());
        assertEquals("stopped", stopped.json().path("experiment").path("status").asText());
        awaitOrder(staying, "newest");

        ApiClient.await(stack::streamCaughtUp);
        JsonNode before = results();
        String fresh = reader("fresh_", "affinity", "affinity");
        assertEquals("newest", order(fresh));
        ApiClient.await(stack::streamCaughtUp);
        JsonNode after = results();
        assertEquals("stopped", after.path("experiment").path("status").asText());
        assertEquals(exposures(before, "affinity"), exposures(after, "affinity"));
        assertEquals(exposures(before, "chronological"), exposures(after, "chronological"));
    }

    @Test
    @Order(5)
    void everyChangeIsInTheLogWithWhoWhenAndWhat() {
        Reply log = api.get(PM, "/v1/experiments/" + ID + "/changes");
        assertEquals(200, log.status(), log.body());
        JsonNode items = log.json().path("items");
        // created, weights, allocation 90, allocation 100, stopped: newest first
        assertEquals(5, items.size(), log.body());
        String pmId = LocalJwtIssuer.subjectOf(PM);
        for (JsonNode change : items) {
            assertEquals(pmId, change.path("by").path("id").asText());
            assertEquals(PM, change.path("by").path("handle").asText());
            assertFalse(change.path("at").asText().isEmpty());
        }
        JsonNode stop = items.get(0);
        assertEquals("changed", stop.path("action").asText());
        assertEquals("comments dropped\n–10 % ✓", stop.path("reason").asText());
        assertEquals("running", stop.path("fields").path("status").path("before").asText());
        assertEquals("stopped", stop.path("fields").path("status").path("after").asText());
        JsonNode weights = items.get(3);
        assertEquals(1, weights.path("fields").path("variants").path("before").get(0).path("weight").asInt());
        assertEquals(3, weights.path("fields").path("variants").path("after").get(0).path("weight").asInt());
        JsonNode created = items.get(4);
        assertEquals("created", created.path("action").asText());
        assertTrue(created.path("fields").path("variants").path("before").isNull());
        int newest = stop.path("version").asInt();
        assertTrue(newest > weights.path("version").asInt() && weights.path("version").asInt() > created.path("version").asInt());
    }

    @Test
    @Order(6)
    void theFileEditedByHandTakesEffectAndInvalidContentIsIgnored() throws Exception {
        int version = version();
        // Invalid definitions are served by AppConfig but never replace valid ones in the functions.
        Files.writeString(stack.experimentsFile(), "{\"experiments\": [{\"id\": \"Not Valid\"}]}", StandardCharsets.UTF_8);
        ApiClient.await(() -> api.get(PM, "/v1/experiments").status() == 409);
        assertEquals("newest", order(staying), "the last valid definitions (stopped) are still served");

        // Running again, by hand.
        Files.writeString(stack.experimentsFile(), new ExperimentConfig(List.of(ranking(MOSTLY_CONTROL))).toJson(),
                StandardCharsets.UTF_8);
        awaitOrder(staying, "interactions");
        assertTrue(version() >= version + 2, "each hand edit is a new version a change must name");
    }

    @Test
    @Order(7)
    void anExperimentNeedsOnlyItsIdAndVariantsTheRestHasDefaults() throws Exception {
        String id = "defaults-" + UUID.randomUUID().toString().substring(0, 6);
        Instant before = Instant.now().minusSeconds(1);
        Reply created = api.sendBytes("POST", "/v1/experiments", PM, ApiClient.JSON.writeValueAsBytes(Map.of("id", id,
                "variants", List.of(Map.of("name", "plain", "weight", 1), Map.of("name", "bold", "weight", 1)))),
                "application/json", Map.of());
        assertEquals(201, created.status(), created.body());
        JsonNode experiment = created.json().path("experiment");
        assertEquals("plain", experiment.path("control").asText(), "the first variant is the control");
        assertEquals("[\"likes\",\"comments\",\"posts\"]", experiment.path("metrics").toString());
        Instant start = Instant.parse(experiment.path("start").asText());
        assertFalse(start.isBefore(before) || start.isAfter(Instant.now()), "starts now: " + start);
        assertEquals(start.plus(Duration.ofDays(30)), Instant.parse(experiment.path("end").asText()));
        assertEquals("running", experiment.path("status").asText());
        assertEquals("plain", created.json().path("change").path("fields").path("control").path("after").asText(),
                "the log records the defaults given");
    }
}
