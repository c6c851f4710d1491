package dev.glint.shared.experiments;

import dev.glint.shared.social.SocialException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Experiment experiment(String id, String start, String end, int allocation) {
        return new Experiment(id, "", Experiment.FEED, List.of(new Variant("control", 1), new Variant("treatment", 1)),
                "control", List.of("likes", "comments"), Instant.parse(start), Instant.parse(end), allocation);
    }

    private final InMemoryExperimentStore store = new InMemoryExperimentStore();
    private final Experiments experiments = new Experiments(new ExperimentConfig(List.of(
            experiment("running", "2026-05-01T00:00:00Z", "2026-07-01T00:00:00Z", 100),
            experiment("later", "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", 100),
            experiment("over", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", 100))), store, CLOCK);

    @Test
    void aUserIsServedTheirVariantOfRunningExperimentsAndExposedOnce() {
        Map<String, String> served = experiments.serve(Experiment.FEED, "u1", true);
        experiments.serve(Experiment.FEED, "u1", true);
        experiments.serve(Experiment.FEED, "u1", false);

        assertEquals(List.of("running"), List.copyOf(served.keySet()), "only running experiments are served");
        assertEquals(Assignment.variantOf(experiments.config().find("running").orElseThrow(), "u1").orElseThrow(), served.get("running"));
        assertEquals(1, store.exposures.size());
        assertEquals(1, store.writes, "a repeat view in the same container does not write");
        assertEquals(served.get("running"), store.exposures.values().iterator().next().variant());
    }

    @Test
    void usersOutsideTheAllocationSeeTheControlAndAreNotExposed() {
        Experiments tiny = new Experiments(new ExperimentConfig(List.of(
                experiment("tiny", "2026-05-01T00:00:00Z", "2026-07-01T00:00:00Z", 1))), store, CLOCK);
        int out = 0;
        for (int i = 0; i < 200; i++) {
            Map<String, String> served = tiny.serve(Experiment.FEED, "user-" + i, true);
            if (Assignment.variantOf(tiny.config().find("tiny").orElseThrow(), "user-" + i).isEmpty()) {
                out++;
                assertEquals("control", served.get("tiny"));
            }
        }
        assertEquals(200 - out, store.exposures.size());
        assertTrue(out > 150, "1 % allocation leaves most out: " + out);
    }

    private Experiment running() {
        return experiments.config().find("running").orElseThrow();
    }

    @Test
    void theListSaysWhereEachExperimentIs() {
        assertEquals(List.of("running", "scheduled", "ended"), experiments.list().stream().map(Experiments.Summary::status).toList());
    }

    @Test
    void resultsCompareEachTreatmentWithTheControlFromTheRollupsInOneRead() {
        store.put(running(), "control", 1000, "likes", 100);
        store.put(running(), "treatment", 1000, "likes", 130);

        Experiments.Results results = experiments.results("running");

        assertEquals(1, store.batchReads);
        assertFalse(results.sampleRatio().mismatch());
        Experiments.MetricResult likes = results.metrics().get(0);
        assertEquals("likes", likes.metric());
        Experiments.VariantResult control = likes.variants().get(0);
        Experiments.VariantResult treatment = likes.variants().get(1);
        assertTrue(control.control());
        assertNull(control.vsControl());
        assertEquals(0.13, treatment.rate(), 1e-12);
        assertEquals(0.03548845046647471, treatment.vsControl().pValue(), 1e-9, "the worked example of StatisticsTest");
        assertEquals(0, results.metrics().get(1).variants().get(1).conversions(), "comments");
    }

    @Test
    void eachTreatmentHasItsSequentialTestAndEachMetricItsSampleSize() {
        store.put(running(), "control", 1000, "likes", 100);
        store.put(running(), "treatment", 1000, "likes", 130);

        Experiments.Results results = experiments.results("running");

        Experiments.MetricResult likes = results.metrics().get(0);
        assertNull(likes.variants().get(0).sequential(), "the control is not compared with itself");
        Statistics.Sequential sequential = likes.variants().get(1).sequential();
        assertEquals(0.536312884507899, sequential.pValue(), 1e-12, "the worked example of StatisticsTest");
        assertEquals(0.0115, sequential.tau(), 1e-15, "mixing from the default 10 % lift");
        assertFalse(sequential.significant());
        assertEquals(new Experiments.SampleSize(0.10, 0.10, 14_751L, false), likes.sampleSize(),
                "a 10 % lift over 10 % needs 14,751 a variant; 1,000 have been seen");
        Experiments.MetricResult comments = results.metrics().get(1);
        assertNull(comments.variants().get(1).sequential(), "no comment yet in either arm: nothing to test");
        assertEquals(new Experiments.SampleSize(0.10, 0, null, false), comments.sampleSize(), "no base rate yet");
    }

    @Test
    void aDeclaredMinimumDetectableLiftSetsTheSampleSizeAndTheMixing() {
        Experiment declared = new Experiment("declared", "", Experiment.FEED, running().variants(), "control",
                List.of("likes"), running().start(), running().end(), 100, 0.20);
        store.put(declared, "control", 20_000, "likes", 2_000);
        store.put(declared, "treatment", 20_000, "likes", 2_260);

        Experiments.MetricResult likes = new Experiments(new ExperimentConfig(List.of(declared)), store, CLOCK)
                .results("declared").metrics().get(0);

        // Fleiss eq. 4.14 for 10 % against 12 %: 3,840.8 -> 3,841; the sequential p-value is 0.00116, reached by 20,000 a variant
        assertEquals(new Experiments.SampleSize(0.20, 0.10, 3_841L, true), likes.sampleSize());
        assertEquals(0.20 * 4_260 / 40_000, likes.variants().get(1).sequential().tau(), 1e-15);
        assertTrue(likes.variants().get(1).sequential().significant(), likes.variants().get(1).sequential().toString());
    }

    @Test
    void aBrokenSplitIsFlagged() {
        store.put(running(), "control", 5200, "likes", 0);
        store.put(running(), "treatment", 4800, "likes", 0);
        assertTrue(experiments.results("running").sampleRatio().mismatch());
    }

    @Test
    void anUnknownExperimentIsNotFound() {
        SocialException e = assertThrows(SocialException.class, () -> experiments.results("nope"));
        assertEquals("experiment_not_found", e.code());
    }

    @Test
    void anExposureThatCannotBeWrittenDoesNotFailTheRequestAndIsTriedAgain() {
        ExperimentStore failing = new InMemoryExperimentStore() {
            int attempts;

            @Override
            public boolean recordExposure(Exposure exposure, Instant keepUntil) {
                if (attempts++ == 0) {
                    throw new IllegalStateException("throttled");
                }
                return super.recordExposure(exposure, keepUntil);
            }
        };
        Experiments flaky = new Experiments(experiments.config(), failing, CLOCK);
        flaky.serve(Experiment.FEED, "u2", true);
        flaky.serve(Experiment.FEED, "u2", true);
        assertEquals(1, ((InMemoryExperimentStore) failing).exposures.size());
    }

    /** The experiment "running" with other weights: the same id and window, a new revision. */
    private static Experiment reweighted(int control, int treatment) {
        return new Experiment("running", "", Experiment.FEED, List.of(new Variant("control", control),
                new Variant("treatment", treatment)), "control", List.of("likes", "comments"),
                Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"), 100);
    }

    @Test
    void aWeightChangeStartsANewRevisionWhoseSplitIsCheckedAgainstItsOwnWeights() {
        Experiment half = reweighted(1, 1);
        Experiment sixty = reweighted(60, 40);
        assertEquals(half.revision(), reweighted(1, 1).revision(), "the revision is a function of the split");
        assertNotEquals(half.revision(), sixty.revision());
        // 5,000 users at 50/50, then 5,000 at 60/40: all-time 5,500 / 4,500 against 60/40 would be p = 1.9e-24.
        store.put(half, "control", 2500, "likes", 250);
        store.put(half, "treatment", 2500, "likes", 300);
        store.put(sixty, "control", 3000, "likes", 300);
        store.put(sixty, "treatment", 2000, "likes", 240);

        Experiments.Results results = new Experiments(new ExperimentConfig(List.of(sixty)), store, CLOCK).results("running");

        assertEquals(sixty.revision(), results.revision());
        assertFalse(results.sampleRatio().mismatch(), "no false alarm: " + results.sampleRatio());
        Statistics.SampleRatio allTime = Statistics.sampleRatio(new long[]{5500, 4500}, new double[]{60, 40});
        assertTrue(allTime.mismatch() && allTime.pValue() < 1e-23, "what counting across revisions said: " + allTime);
        assertEquals(3000, results.metrics().get(0).variants().get(0).exposures(), "the current revision's users only");
        assertEquals(1, results.earlierRevisions().size());
        Experiments.RevisionResult before = results.earlierRevisions().get(0);
        assertEquals(half.revision(), before.revision());
        assertEquals(Map.of("control", 1, "treatment", 1), before.weights());
        assertFalse(before.sampleRatio().mismatch());
        assertEquals(0.12, before.metrics().get(0).variants().get(1).rate(), 1e-12);
    }

    @Test
    void aUserMovedByAReweightIsExposedAgainAndCountedInTheirNewVariant() {
        Experiment before = reweighted(1, 1);
        Experiment after = reweighted(1, 99);
        String moved = null;
        for (int i = 0; moved == null; i++) {
            String user = "user-" + i;
            if (Assignment.variantOf(before, user).orElseThrow().equals("control")
                    && Assignment.variantOf(after, user).orElseThrow().equals("treatment")) {
                moved = user;
            }
        }
        new Experiments(new ExperimentConfig(List.of(before)), store, CLOCK).serve(Experiment.FEED, moved, true);
        new Experiments(new ExperimentConfig(List.of(after)), store, CLOCK).serve(Experiment.FEED, moved, true);

        assertEquals(List.of("control", "treatment"), store.exposures.values().stream().map(ExperimentStore.Exposure::variant).toList());
        Conversions conversions = new Conversions(new ExperimentConfig(List.of(after)), store);
        var recorded = conversions.apply(List.of(new Conversions.Action("likes", moved, NOW.plusSeconds(1))));
        assertEquals(1, recorded.size());
        assertEquals("treatment", recorded.get(0).variant(), "credited to the variant of the current revision");
        assertEquals(after.revision(), recorded.get(0).revision());
    }
}
