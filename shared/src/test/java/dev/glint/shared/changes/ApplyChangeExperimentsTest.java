package dev.glint.shared.changes;

import dev.glint.shared.experiments.Conversions;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.InMemoryExperimentStore;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.feed.AffinityStore;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.reports.RollupStore;
import dev.glint.shared.social.NotificationStore;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.TagStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.testing.Ports.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the stream processor derives for experiments from the table's changes. */
class ApplyChangeExperimentsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<Variant> SPLIT = List.of(new Variant("a", 1), new Variant("b", 1));
    private static final Experiment EXPERIMENT = new Experiment("e", "", Experiment.FEED, SPLIT, "a", List.of("likes"),
            NOW.minusSeconds(3600), NOW.plusSeconds(3600), 100);

    private final InMemoryExperimentStore markers = new InMemoryExperimentStore();
    private final List<RollupStore.Event> counted = new ArrayList<>();
    private final List<AffinityStore.Interaction> interactions = new ArrayList<>();


    private ApplyChange applyChange() {
        PostStore posts = only(PostStore.class, (name, args) -> Optional.of(new Post((String) args[0], "author", "",
                PostStatus.READY, java.util.List.of(Photo.of("u", "k", "", null)), NOW, 0, 0, null, 1)));
        RollupStore rollups = only(RollupStore.class, (name, args) -> {
            if (name.equals("countAll")) {
                counted.addAll((List<RollupStore.Event>) args[0]);
            }
            return null;
        });
        ExperimentConfig config = new ExperimentConfig(List.of(EXPERIMENT));
        return new ApplyChange(posts, only(NotificationStore.class, (n, a) -> true), only(TagStore.class, (n, a) -> null),
                rollups, message -> { }, Ids.system(), CLOCK, new Conversions(config, markers), interactions::addAll);
    }

    @Test
    void exposureAndConversionMarkersAreCountedIntoTheirVariantsRollup() {
        applyChange().acceptBatch(List.of(
                new TableChange.ExposureRecorded("ev-1", new ExperimentStore.Exposure("e", "r1", "u1", "b", SPLIT, NOW)),
                new TableChange.ConversionRecorded("ev-2", new ExperimentStore.Conversion("e", "r1", "u1", "b", "likes", NOW))));

        assertEquals(List.of(
                new RollupStore.VariantDelta("e", "r1", "b", SPLIT, Map.of("exposures", 1L)),
                new RollupStore.VariantDelta("e", "r1", "b", List.of(), Map.of("conversions:likes", 1L))),
                counted.stream().map(event -> event.variant().orElseThrow()).toList());
        assertEquals(List.of("ev-1", "ev-2"), counted.stream().map(RollupStore.Event::eventId).toList(),
                "each counted once by its event id, as every other count");
    }

    @Test
    void aLikeByAnExposedUserConvertsOnceAndRecordsWhomTheyInteractWith() {
        markers.recordExposure(new ExperimentStore.Exposure("e", EXPERIMENT.revision(), "fan", "b", SPLIT, NOW.minusSeconds(60)),
                NOW.plusSeconds(86_400));
        TableChange like = new TableChange.LikeAdded("ev-3", "p1", "fan", NOW);

        applyChange().acceptBatch(List.of(like));
        applyChange().acceptBatch(List.of(like));

        assertEquals(1, markers.conversions.size(), "a replayed like converts once");
        assertEquals("b", markers.conversions.get(0).variant());
        assertEquals(new AffinityStore.Interaction("fan", "author", NOW), interactions.get(0));
        assertEquals(1L, counted.stream().filter(e -> e.eventId().equals("ev-3")).findFirst().orElseThrow()
                .increments().get("likes"), "the like itself is still counted in the day's rollup");
    }

    @Test
    void anAuthorLikingTheirOwnPostIsNoInteraction() {
        applyChange().acceptBatch(List.of(new TableChange.LikeAdded("ev-4", "p1", "author", NOW)));
        assertEquals(List.of(), interactions);
    }

    @Test
    void likesAndUnlikesCountUnderTheRemoversVariantOfAnExperimentWatchingThemEachUnderItsOwnEventId() {
        Experiment watched = new Experiment("w", "", Experiment.FEED, SPLIT, "a", List.of("likes"), NOW.minusSeconds(3600),
                NOW.plusSeconds(3600), 100, null, false, List.of(Experiment.UNLIKE_RATE));
        RollupStore rollups = only(RollupStore.class, (name, args) -> {
            if (name.equals("countAll")) {
                counted.addAll((List<RollupStore.Event>) args[0]);
            }
            return null;
        });
        PostStore posts = only(PostStore.class, (name, args) -> Optional.empty());
        ApplyChange apply = new ApplyChange(posts, only(NotificationStore.class, (n, a) -> true),
                only(TagStore.class, (n, a) -> null), rollups, message -> { }, Ids.system(), CLOCK,
                new Conversions(new ExperimentConfig(List.of(EXPERIMENT, watched)), markers), interactions::addAll);
        String variant = dev.glint.shared.experiments.Assignment.variantOf(watched, "fan").orElseThrow();

        apply.acceptBatch(List.of(new TableChange.LikeAdded("ev-5", "p1", "fan", NOW.minusSeconds(60)),
                new TableChange.LikeRemoved("ev-6", "p1", "fan", NOW.minusSeconds(60)),
                // a like made before the experiment started: its removal is no unlike of a counted like
                new TableChange.LikeRemoved("ev-7", "p2", "fan", NOW.minusSeconds(7200)),
                new TableChange.FollowAdded("ev-8", "fan", "star", NOW)));

        assertEquals(List.of(
                new RollupStore.VariantDelta("w", watched.revision(), variant, List.of(), Map.of("guardrail:likes", 1L)),
                new RollupStore.VariantDelta("w", watched.revision(), variant, List.of(), Map.of("guardrail:unlikes", 1L))),
                counted.stream().flatMap(e -> e.variant().stream()).toList(),
                "only the watching experiment, only unlike_rate's counts");
        assertEquals(List.of("ev-5:guardrail:w", "ev-6:guardrail:w"), counted.stream()
                .filter(e -> e.variant().isPresent()).map(RollupStore.Event::eventId).toList());
    }
}
