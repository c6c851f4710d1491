package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment routes through the handler, with real-shaped events and rollups held in memory. */
class ExperimentRoutesTest {

    /** Rollups of the shipped feed-ranking experiment: the worked example of StatisticsTest on likes. */
    private static final ExperimentStore ROLLUPS = new ExperimentStore() {
        @Override
        public boolean recordExposure(Exposure exposure) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean recordConversion(Conversion conversion) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Map<String, Long>> counts(String experimentId, List<String> variants) {
            Map<String, Map<String, Long>> counts = new HashMap<>();
            counts.put("chronological", Map.of("exposures", 1000L, "conversions:likes", 100L));
            counts.put("affinity", Map.of("exposures", 1000L, "conversions:likes", 130L));
            return counts;
        }
    };

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
        assertTrue(response.getHeaders().get("etag").startsWith("W/"), "a read with an ETag like the others");
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
