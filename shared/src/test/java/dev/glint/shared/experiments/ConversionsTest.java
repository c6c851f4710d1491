package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConversionsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<Variant> SPLIT = List.of(new Variant("a", 1), new Variant("b", 1));
    private final InMemoryExperimentStore store = new InMemoryExperimentStore();
    private final Conversions conversions = new Conversions(new ExperimentConfig(List.of(new Experiment("e", "",
            Experiment.FEED, List.of(new Variant("a", 1), new Variant("b", 1)), "a", List.of("likes"),
            Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"), 100))),
            store);
    private final String revision = new Experiment("e", "", Experiment.FEED, List.of(new Variant("a", 1), new Variant("b", 1)),
            "a", List.of("likes"), Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"), 100).revision();

    private void expose(String user, Instant at) {
        store.recordExposure(new ExperimentStore.Exposure("e", revision, user, "b", SPLIT, at), Instant.MAX);
    }

    @Test
    void anExposedUsersFirstMatchingActionConvertsOnceEvenWhenReplayed() {
        expose("u", NOW.minusSeconds(60));
        var likes = List.of(new Conversions.Action("likes", "u", NOW), new Conversions.Action("likes", "u", NOW.plusSeconds(1)));

        assertEquals(1, conversions.apply(likes).size());
        assertEquals(0, conversions.apply(likes).size(), "a replayed batch converts nothing more");
        assertEquals(1, store.conversions.size());
        assertEquals("b", store.conversions.get(0).variant(), "counted for the variant the user was served");
        assertEquals(2, store.batchReads, "one batch read per batch");
    }

    @Test
    void actionsOfUnexposedUsersBeforeExposureOrOfOtherMetricsDoNotConvert() {
        expose("late", NOW);
        List<ExperimentStore.Conversion> recorded = conversions.apply(List.of(
                new Conversions.Action("likes", "never-exposed", NOW),
                new Conversions.Action("likes", "late", NOW.minusSeconds(5)),
                new Conversions.Action("comments", "late", NOW.plusSeconds(5))));
        assertEquals(List.of(), recorded);
    }

    @Test
    void anActionJustBeforeTheEndConvertsWhenItIsProcessedAfterTheEnd() {
        // Processing time plays no part: the action's own time decides (the clock here is long past the end).
        expose("last", Instant.parse("2026-06-30T23:00:00Z"));
        assertEquals(1, conversions.apply(List.of(new Conversions.Action("likes", "last", Instant.parse("2026-06-30T23:59:59Z")))).size());
        assertEquals(0, conversions.apply(List.of(new Conversions.Action("likes", "last", Instant.parse("2026-07-01T00:00:00Z")))).size(),
                "an action at the end or later does not count");
    }

    @Test
    void markersExpireAMonthAfterTheExperimentEnds() {
        expose("kept", NOW.minusSeconds(60));
        conversions.apply(List.of(new Conversions.Action("likes", "kept", NOW)));
        assertEquals(Instant.parse("2026-07-31T00:00:00Z"), store.kept.get(store.conversions.get(0)));
    }

    @Test
    void actionsNoRunningExperimentCountsReadNothing() {
        conversions.apply(List.of(new Conversions.Action("posts", "u", NOW)));
        assertEquals(0, store.batchReads);
    }
}
