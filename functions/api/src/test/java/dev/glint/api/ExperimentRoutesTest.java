package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.InMemoryExperimentStore;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment routes through the handler, with real-shaped events and rollups held in memory. */
class ExperimentRoutesTest {

    /**
     * Rollups of the shipped feed-ranking experiment: the worked example of StatisticsTest on likes
     * in its current revision, and an earlier revision at other weights.
     */
    private static final ExperimentStore ROLLUPS = new InMemoryExperimentStore();

    static {
        Experiment shipped = ExperimentConfig.shipped().find("feed-ranking").orElseThrow();
        var store = (InMemoryExperimentStore) ROLLUPS;
        store.put(shipped, "chronological", 1000, "likes", 100);
        store.put(shipped, "affinity", 1000, "likes", 130);
        Experiment before = new Experiment(shipped.id(), shipped.description(), shipped.surface(),
                List.of(new Variant("chronological", 90), new Variant("affinity", 10)), shipped.control(),
                shipped.metrics(), shipped.start(), shipped.end(), shipped.allocation());
        store.put(before, "chronological", 900, "likes", 90);
        store.put(before, "affinity", 100, "likes", 12);
    }

    private static ApiHandler handler() {
        Experiments experiments = new Experiments(ExperimentConfig.shipped(), ROLLUPS,
                Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
        return new ApiHandler(ApiHandlerTest.composition(List.of(), experiments,
                new RateLimiter(RateLimiter.Limits.WRITES)));
    }

    private static APIGatewayV2HTTPEvent event(String path, String groups, boolean signedIn) {
        APIGatewayV2HTTPEvent event = SampleEvents.load("api/experiment-results.json", APIGatewayV2HTTPEvent.class);
        event.setRawPath(path);
        Map<String, String> claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
        claims.put("cognito:groups", groups);
        if (!signedIn) {
            claims.remove("sub");
        }
        return event;
    }

    private static APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler().handleRequest(event, LocalContext.forTest("api"));
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.readTree(response.getBody());
    }

    @Test
    void resultsShowEachVariantWithLiftIntervalPValueAndTheSampleRatioCheck() throws Exception {
        APIGatewayV2HTTPResponse response = call(event("/v1/experiments/feed-ranking/results", "[product]", true));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        assertEquals("running", body.path("experiment").path("status").asText());
        assertFalse(body.path("sampleRatio").path("mismatch").asBoolean());
        JsonNode likes = body.path("metrics").get(0);
        assertEquals("likes", likes.path("metric").asText());
        JsonNode affinity = likes.path("variants").get(1);
        assertEquals("affinity", affinity.path("name").asText());
        assertEquals(0.13, affinity.path("rate").asDouble(), 1e-12);
        assertEquals(0.30, affinity.path("lift").path("value").asDouble(), 1e-12);
        assertEquals(0.01698427097104549, affinity.path("lift").path("low95").asDouble(), 1e-9);
        assertEquals(0.03548845046647471, affinity.path("pValue").asDouble(), 1e-9);
        assertTrue(affinity.path("significant").asBoolean());
        assertTrue(likes.path("variants").get(0).path("control").asBoolean());
        JsonNode sequential = affinity.path("sequential");
        assertEquals(0.536312884507899, sequential.path("pValue").asDouble(), 1e-12, "StatisticsTest's worked example");
        assertEquals(-0.0278265123302204, sequential.path("low95").asDouble(), 1e-12);
        assertEquals(0.0878265123302204, sequential.path("high95").asDouble(), 1e-12);
        assertFalse(sequential.path("significant").asBoolean(), "significant at a fixed horizon, not yet sequentially");
        assertTrue(likes.path("variants").get(0).path("sequential").isMissingNode(), "the control has none");
        JsonNode size = likes.path("sampleSize");
        assertEquals(0.1, size.path("minimumDetectableLift").asDouble());
        assertEquals(0.1, size.path("controlRate").asDouble(), 1e-12);
        assertEquals(14_751, size.path("perVariant").asLong());
        assertFalse(size.path("reached").asBoolean());
        JsonNode comments = body.path("metrics").get(1);
        assertTrue(comments.path("sampleSize").path("perVariant").isNull(), "no comment in the control: no base rate");
        assertTrue(comments.path("variants").get(1).path("sequential").isNull(), "nothing to test yet");
        assertEquals(0.1, body.path("experiment").path("minimumDetectableLift").asDouble());
        assertTrue(response.getHeaders().get("etag").startsWith("W/"), "a read with an ETag like the others");
        assertEquals(ExperimentConfig.shipped().find("feed-ranking").orElseThrow().revision(), body.path("revision").asText());
        JsonNode earlier = body.path("earlierRevisions");
        assertEquals(1, earlier.size(), "the revision before a weight change, apart");
        assertEquals(90, earlier.get(0).path("variants").get(0).path("weight").asInt());
        assertFalse(earlier.get(0).path("sampleRatio").path("mismatch").asBoolean(), "900/100 at 90/10 is no mismatch");
        assertEquals(100, earlier.get(0).path("metrics").get(0).path("variants").get(1).path("exposures").asLong());
    }

    @Test
    void theListNamesEachExperimentWithItsStatusVariantsAndMetrics() throws Exception {
        APIGatewayV2HTTPResponse response = call(event("/v1/experiments", "[product]", true));

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode item = body(response).path("items").get(0);
        assertEquals("feed-ranking", item.path("id").asText());
        assertEquals("running", item.path("status").asText());
        assertEquals(50, item.path("variants").get(1).path("weight").asInt());
        assertEquals("likes", item.path("metrics").get(0).asText());
    }

    @Test
    void onlyProductTeamsSeeExperimentsAndAnUnknownOneIsNotFound() throws Exception {
        APIGatewayV2HTTPResponse outsider = call(event("/v1/experiments/feed-ranking/results", "[]", true));
        assertEquals(403, outsider.getStatusCode());
        assertEquals("forbidden", body(outsider).path("error").path("code").asText());
        assertEquals(403, call(event("/v1/experiments", "[editors]", true)).getStatusCode());

        APIGatewayV2HTTPResponse anonymous = call(event("/v1/experiments", "[product]", false));
        assertEquals(401, anonymous.getStatusCode());

        APIGatewayV2HTTPResponse unknown = call(event("/v1/experiments/nope/results", "[product]", true));
        assertEquals(404, unknown.getStatusCode());
        assertEquals("experiment_not_found", body(unknown).path("error").path("code").asText());
    }
}
