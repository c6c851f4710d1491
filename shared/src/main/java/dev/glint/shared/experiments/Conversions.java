package dev.glint.shared.experiments;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns users' actions into experiment conversions, a batch of stream records at a time. A
 * conversion is binary per user and metric: an exposed user did the metric's action at least once
 * after their exposure (what a two-proportion test compares). One batch read finds the exposures and
 * the conversions already recorded; each new conversion is one conditional put, whose insertion the
 * stream processor then counts into the variant's rollup. Replaying a batch changes nothing.
 */
public final class Conversions {

    private final ExperimentConfig config;
    private final ExperimentStore store;
    private final Clock clock;

    public Conversions(ExperimentConfig config, ExperimentStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    /** A user did something a metric counts ({@code likes}, {@code comments}, {@code posts}). */
    public record Action(String metric, String userId, Instant at) {
    }

    /** @return the conversions recorded now */
    public List<ExperimentStore.Conversion> apply(List<Action> actions) {
        Instant now = clock.instant();
        List<Experiment> running = config.experiments().stream().filter(e -> e.running(now)).toList();
        Set<ExperimentStore.UserInExperiment> pairs = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (Action action : actions) {
            for (Experiment experiment : running) {
                if (experiment.metrics().contains(action.metric()) && !action.at().isBefore(experiment.start())
                        && action.at().isBefore(experiment.end())) {
                    pairs.add(new ExperimentStore.UserInExperiment(experiment.id(), action.userId()));
                    metrics.add(action.metric());
                }
            }
        }
        if (pairs.isEmpty()) {
            return List.of();
        }
        ExperimentStore.Markers markers = store.markers(pairs, metrics);
        Set<String> done = new LinkedHashSet<>();
        List<ExperimentStore.Conversion> recorded = new ArrayList<>();
        for (Action action : actions) {
            for (Experiment experiment : running) {
                var pair = new ExperimentStore.UserInExperiment(experiment.id(), action.userId());
                ExperimentStore.Exposure exposure = markers.exposures().get(pair);
                if (!pairs.contains(pair) || !experiment.metrics().contains(action.metric()) || exposure == null
                        || action.at().isBefore(exposure.at()) || markers.hasConverted(pair, action.metric())
                        || !done.add(experiment.id() + ":" + action.userId() + ":" + action.metric())) {
                    continue;
                }
                var conversion = new ExperimentStore.Conversion(experiment.id(), action.userId(), exposure.variant(),
                        action.metric(), action.at());
                if (store.recordConversion(conversion)) {
                    recorded.add(conversion);
                }
            }
        }
        return recorded;
    }
}
