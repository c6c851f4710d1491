package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentConfigTest {

    private static String one(String fields) {
        return "{\"experiments\":[{" + fields + "}]}";
    }

    private static final String VALID = "\"id\":\"x\",\"surface\":\"feed\",\"variants\":[{\"name\":\"a\",\"weight\":1},"
            + "{\"name\":\"b\",\"weight\":1}],\"control\":\"a\",\"metrics\":[\"likes\"],"
            + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"";

    @Test
    void theShippedFileHoldsTheFeedRankingExperiment() {
        Experiment feed = ExperimentConfig.shipped().find("feed-ranking").orElseThrow();
        assertEquals("chronological", feed.control());
        assertEquals(List.of("chronological", "affinity"), feed.variants().stream().map(Variant::name).toList());
        assertEquals(List.of("likes", "comments"), feed.metrics());
        assertEquals(100, feed.allocation());
    }

    @Test
    void aValidExperimentIsReadWithItsDefaultsAndRoundTrips() {
        ExperimentConfig config = ExperimentConfig.parse(one(VALID));
        Experiment x = config.experiments().get(0);
        assertEquals(100, x.allocation());
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), x.end());
        assertEquals("running", x.status(Instant.parse("2026-01-15T00:00:00Z")));
        assertEquals("scheduled", x.status(Instant.parse("2025-12-31T00:00:00Z")));
        assertEquals("ended", x.status(Instant.parse("2026-02-01T00:00:00Z")));
        assertEquals(config, ExperimentConfig.parse(config.toJson()));
        assertEquals(null, x.minimumDetectableLift(), "none declared");
        assertEquals(Experiment.DEFAULT_MINIMUM_DETECTABLE_LIFT, x.detectableLift());
        assertTrue(!config.toJson().contains("minimumDetectableLift"), "a default is not written out");
    }

    @Test
    void aMinimumDetectableLiftIsARelativeLiftUpToOne() {
        ExperimentConfig config = ExperimentConfig.parse(one(VALID + ",\"minimumDetectableLift\":0.05"));
        assertEquals(0.05, config.experiments().get(0).detectableLift());
        assertEquals(config, ExperimentConfig.parse(config.toJson()));
        assertEquals(List.of("experiment 'x'.minimumDetectableLift must be a relative lift above 0 and at most 1"
                + " (0.1 = 10 %), got 10"), problems(one(VALID + ",\"minimumDetectableLift\":10")));
        assertEquals(1, problems(one(VALID + ",\"minimumDetectableLift\":0")).size());
        assertEquals(1, problems(one(VALID + ",\"minimumDetectableLift\":\"5%\"")).size());
    }

    private static List<String> problems(String json) {
        return assertThrows(ExperimentConfig.InvalidExperiments.class, () -> ExperimentConfig.parse(json)).problems();
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        List<String> problems = problems(one("\"id\":\"x\",\"surface\":\"feed\",\"variants\":[{\"name\":\"a\",\"weight\":0},"
                + "{\"name\":\"b\",\"weight\":1}],\"control\":\"c\",\"metrics\":[\"views\"],"
                + "\"start\":\"2026-02-01T00:00:00Z\",\"end\":\"2026-01-01T00:00:00Z\",\"allocation\":0,\"colour\":\"red\""));
        assertEquals(List.of(
                "experiment 'x' has an unknown field 'colour'",
                "experiment 'x' variant 'a' needs a whole positive weight (at most 10000), got 0",
                "experiment 'x'.control must name one of its variants [a, b], got c",
                "experiment 'x' has an unknown metric \"views\" (known: [likes, comments, posts])",
                "experiment 'x'.end must be after its start",
                "experiment 'x'.allocation must be a whole percentage from 1 to 100, got 0"), problems);
    }

    @Test
    void idsAreUniqueAndFilesAreWellFormed() {
        assertEquals(List.of("experiment 'x' is declared twice"),
                problems("{\"experiments\":[{" + VALID + "},{" + VALID + "}]}"));
        assertEquals(List.of("expected {\"experiments\": [...]}"), problems("[]"));
        assertTrue(problems("{\"experiments\":").get(0).startsWith("not valid JSON"));
        assertTrue(problems(one(VALID.replace("2026-01-01T00:00:00Z", "tomorrow"))).get(0)
                .contains(".start must be an ISO-8601 instant"));
        assertTrue(problems(one(VALID.replace("\"feed\"", "\"search\""))).get(0).contains(".surface must be \"feed\""));
    }

    @Test
    void guardrailsAreKnownMetricsListedOnceAndNoneByDefault() {
        assertEquals(List.of(), ExperimentConfig.parse(one(VALID)).experiments().get(0).guardrails());
        ExperimentConfig config = ExperimentConfig.parse(one(VALID + ",\"guardrails\":[\"error_rate\",\"unlike_rate\"]"));
        assertEquals(List.of("error_rate", "unlike_rate"), config.experiments().get(0).guardrails());
        assertEquals(config, ExperimentConfig.parse(config.toJson()));
        assertEquals(List.of("experiment 'x' has an unknown guardrail \"crash_rate\" (known: [error_rate, p95_latency,"
                + " unlike_rate, unfollow_rate])"), problems(one(VALID + ",\"guardrails\":[\"crash_rate\"]")));
        assertEquals(List.of("experiment 'x' lists guardrail \"error_rate\" twice"),
                problems(one(VALID + ",\"guardrails\":[\"error_rate\",\"error_rate\"]")));
        assertEquals(1, problems(one(VALID + ",\"guardrails\":\"error_rate\"")).size());
        assertTrue(ExperimentConfig.jsonSchema().contains("\"unfollow_rate\""));
    }
}
