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

    /** Likes and follows made and undone, for the {@code unlike_rate} and {@code unfollow_rate} guardrails. */
    public enum Engagement {
        LIKED(Experiment.UNLIKE_RATE, Guardrails.LIKES, false),
        UNLIKED(Experiment.UNLIKE_RATE, Guardrails.UNLIKES, true),
        FOLLOWED(Experiment.UNFOLLOW_RATE, Guardrails.FOLLOWS, false),
        UNFOLLOWED(Experiment.UNFOLLOW_RATE, Guardrails.UNFOLLOWS, true);

        private final String guardrail;
        private final String count;
        private final boolean undone;

        Engagement(String guardrail, String count, boolean undone) {
            this.guardrail = guardrail;
            this.count = count;
            this.undone = undone;
        }
    }

    /** One guardrail count to add to a variant's rollup in a revision. */
    public record GuardrailCount(String experimentId, String revision, String variant, String count) {
    }

    /**
     * The guardrail counts of a like or follow made or undone: under the variant its user is assigned in
     * each experiment that watches it. A like (follow) counts when made within the experiment's window,
     * however late it is processed; its removal counts while the experiment runs, when the removed like
     * was made within the window (so an unlike is of a like that could have been counted). Stateless:
     * assignment is a hash, so nothing is read; counting each change once is the rollups' markers' job.
     *
     * @param madeAt when the like (follow) was made, for a removal too
     * @param now    when the change is processed (about when a removal happened)
     */
    public List<GuardrailCount> guardrailCounts(Engagement engagement, String userId, Instant madeAt, Instant now) {
        List<GuardrailCount> out = new ArrayList<>();
        for (Experiment experiment : source.current().experiments()) {
            if (experiment.stopped() || !experiment.guardrails().contains(engagement.guardrail)
                    || madeAt.isBefore(experiment.start()) || (!engagement.undone && !madeAt.isBefore(experiment.end()))
                    || (engagement.undone && !experiment.running(now))) {
                continue;
            }
            Assignment.variantOf(experiment, userId).ifPresent(variant -> out.add(new GuardrailCount(experiment.id(),
                    experiment.revision(), variant, engagement.count)));
        }
        return out;
    }

    /** Whether the action is one the experiment measures, done while it ran (a stopped one counts nothing). */
    private static boolean counts(Experiment experiment, Action action) {
        return !experiment.stopped() && experiment.metrics().contains(action.metric()) && !action.at().isBefore(experiment.start())
                && action.at().isBefore(experiment.end());
    }
}
