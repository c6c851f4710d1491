package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentGuardTest {

    private static final String CONFIG = "{\"experiments\":[{\"id\":\"x\",\"surface\":\"feed\",\"variants\":[{\"name\":\"a\",\"weight\":1},"
            + "{\"name\":\"b\",\"weight\":1}],\"control\":\"a\",\"metrics\":[\"likes\"],"
            + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"}]}";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC);

    /** Rollups in memory: the current revision's exposures per variant. */
    private static final class Counts implements ExperimentStore {
        Map<String, Map<String, Long>> current = Map.of();
        String revision;

        @Override
        public boolean recordExposure(Exposure exposure, Instant keepUntil) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean recordConversion(Conversion conversion, Instant keepUntil) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RevisionCounts> counts(String experimentId) {
            return List.of(new RevisionCounts(revision, List.of(), current));
        }
    }

    private final ExperimentAdminTest.Versions versions = new ExperimentAdminTest.Versions();
    private final ExperimentAdminTest.Log log = new ExperimentAdminTest.Log();
    private final ExperimentAdmin admin = new ExperimentAdmin(versions, log, ExperimentConfig.parse(CONFIG), CLOCK);
    private final Counts counts = new Counts();
    private final ExperimentGuard guard = new ExperimentGuard(admin, counts, CLOCK);

    private void exposures(long a, long b) {
        counts.revision = admin.current().config().find("x").orElseThrow().revision();
        counts.current = Map.of("a", Map.of("exposures", a), "b", Map.of("exposures", b));
    }

    @Test
    void aPlantedSampleRatioMismatchStopsTheExperimentAsTheSystemWithTheReason() {
        exposures(300, 200);

        List<ExperimentGuard.Stop> stops = guard.check();

        assertEquals(1, stops.size());
        Experiment now = admin.current().config().find("x").orElseThrow();
        assertTrue(now.stopped());
        assertEquals(1, log.changes.size());
        var change = log.changes.get(0);
        assertEquals("system:guardrails", change.by());
        assertTrue(change.reason().startsWith("sample ratio mismatch"), change.reason());
        assertTrue(change.reason().contains("a 300 (weight 1), b 200 (weight 1)"), change.reason());
        assertEquals(List.of(1), versions.deployed);
    }

    @Test
    void aSecondCheckOfAStoppedExperimentChangesNothing() {
        exposures(300, 200);
        guard.check();

        assertEquals(List.of(), guard.check());
        assertEquals(1, log.changes.size());
        assertEquals(1, versions.contents.size());
    }

    @Test
    void aSplitWithinChanceKeepsTheExperimentRunning() {
        exposures(520, 480);

        assertEquals(List.of(), guard.check());
        assertTrue(versions.contents.isEmpty());
        assertTrue(log.changes.isEmpty());
    }

    @Test
    void tooFewExposuresAreNotJudgedHoweverUneven() {
        exposures(60, 0);

        assertEquals(List.of(), guard.check());
        assertTrue(versions.contents.isEmpty());
    }

    @Test
    void unevenWeightsAreMetByAnExposureSplitThatFollowsThem() {
        Experiment threeToOne = new Experiment("y", null, Experiment.FEED,
                List.of(new Variant("a", 3), new Variant("b", 1)), "a", List.of("likes"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), 100);

        assertTrue(ExperimentGuard.reason(threeToOne, Map.of("a", Map.of("exposures", 750L), "b", Map.of("exposures", 250L))).isEmpty());
        assertTrue(ExperimentGuard.reason(threeToOne, Map.of("a", Map.of("exposures", 500L), "b", Map.of("exposures", 500L))).isPresent());
    }

    @Test
    void aDegradedGuardrailStopsTheExperimentWithItsReasonAndAnUnwatchedOneIsNotJudged() {
        String watched = CONFIG.replace("\"metrics\":[\"likes\"]", "\"metrics\":[\"likes\"],\"guardrails\":[\"error_rate\"]");
        var watchedAdmin = new ExperimentAdmin(versions, log, ExperimentConfig.parse(watched), CLOCK);
        var watchedGuard = new ExperimentGuard(watchedAdmin, counts, CLOCK);
        counts.revision = watchedAdmin.current().config().find("x").orElseThrow().revision();
        counts.current = Map.of("a", Map.of("exposures", 20L, Guardrails.REQUESTS, 400L, Guardrails.ERRORS, 2L),
                "b", Map.of("exposures", 20L, Guardrails.REQUESTS, 400L, Guardrails.ERRORS, 60L));
        assertTrue(guard.check().isEmpty(), "the same counts stop nothing where no guardrail is watched");

        List<ExperimentGuard.Stop> stops = watchedGuard.check();

        assertEquals(1, stops.size());
        assertTrue(watchedAdmin.current().config().find("x").orElseThrow().stopped());
        var change = log.changes.get(0);
        assertEquals("system:guardrails", change.by());
        assertTrue(change.reason().startsWith("guardrail error_rate degraded in variant b (p="), change.reason());
    }
}
