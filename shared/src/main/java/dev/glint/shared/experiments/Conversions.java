package dev.glint.shared.experiments;

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

    private final ExperimentSource source;
    private final ExperimentStore store;

    public Conversions(ExperimentConfig config, ExperimentStore store) {
        this(ExperimentSource.fixed(config), store);
    }

    /** @param source read once per batch: definitions changed at run time count from the next batch */
    public Conversions(ExperimentSource source, ExperimentStore store) {
        this.source = source;
        this.store = store;
    }

    /** A user did something a metric counts ({@code likes}, {@code comments}, {@code posts}). */
    public record Action(String metric, String userId, Instant at) {
    }

    /**
     * Records the conversions of these actions: an action counts for an experiment whose window
     * ({@code start} to {@code end}) holds the action's time, however late it is processed, in the
     * current revision, for a user exposed to it before the action.
     *
     * @return the conversions recorded now
     */
    public List<ExperimentStore.Conversion> apply(List<Action> actions) {
        ExperimentConfig config = source.current();
        Set<ExperimentStore.UserInExperiment> pairs = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (Action action : actions) {
            for (Experiment experiment : config.experiments()) {
                if (counts(experiment, action)) {
                    pairs.add(new ExperimentStore.UserInExperiment(experiment.id(), experiment.revision(), action.userId()));
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
            for (Experiment experiment : config.experiments()) {
                var pair = new ExperimentStore.UserInExperiment(experiment.id(), experiment.revision(), action.userId());
                ExperimentStore.Exposure exposure = markers.exposures().get(pair);
                if (!counts(experiment, action) || exposure == null
                        || action.at().isBefore(exposure.at()) || markers.hasConverted(pair, action.metric())
                        || !done.add(experiment.id() + ":" + action.userId() + ":" + action.metric())) {
                    continue;
                }
                var conversion = new ExperimentStore.Conversion(experiment.id(), pair.revision(), action.userId(),
                        exposure.variant(), action.metric(), action.at());
                if (store.recordConversion(conversion, experiment.end().plus(Experiments.MARKER_GRACE))) {
                    recorded.add(conversion);
                }
            }
        }
        return recorded;
    }

    /** Whether the action is one the experiment measures, done while it ran (a stopped one counts nothing). */
    private static boolean counts(Experiment experiment, Action action) {
        return !experiment.stopped() && experiment.metrics().contains(action.metric()) && !action.at().isBefore(experiment.start())
                && action.at().isBefore(experiment.end());
    }
}
