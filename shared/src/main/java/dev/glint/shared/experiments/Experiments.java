package dev.glint.shared.experiments;

import dev.glint.shared.social.SocialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The experiment service: which variant a user is served, the record that they were, and results.
 * Assignment is a pure function of (experiment, user) ({@link Assignment}); the only state is the
 * exposure marker, written once per user and experiment (conditional put) and, within one
 * container, at most once (a bounded memory of recent exposures), so repeat views do not write.
 */
public final class Experiments {

    private static final Logger LOG = LoggerFactory.getLogger(Experiments.class);
    /** Recent exposures remembered per container. */
    static final int REMEMBERED = 10_000;
    /** Markers are kept this long after their experiment ends (late conversions, then they expire). */
    public static final Duration MARKER_GRACE = Duration.ofDays(30);

    private final ExperimentSource source;
    private final ExperimentStore store;
    private final Clock clock;
    private final Set<String> recentlyExposed = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    public Experiments(ExperimentConfig config, ExperimentStore store, Clock clock) {
        this(ExperimentSource.fixed(config), store, clock);
    }

    /** @param source read on every call: definitions changed at run time take effect on the next one */
    public Experiments(ExperimentSource source, ExperimentStore store, Clock clock) {
        this.source = source;
        this.store = store;
        this.clock = clock;
    }

    /** No experiment: every user sees every default. */
    public static Experiments none() {
        return new Experiments(ExperimentConfig.none(), null, Clock.systemUTC());
    }

    /** The definitions served now. */
    public ExperimentConfig config() {
        return source.current();
    }

    /**
     * The variants to serve the user on a surface: for each running experiment there, the user's
     * variant (the control when its allocation leaves them out). When {@code expose}, the user is
     * recorded as exposed to each experiment they are in.
     */
    public Map<String, String> serve(String surface, String userId, boolean expose) {
        Instant now = clock.instant();
        Map<String, String> served = new LinkedHashMap<>();
        for (Experiment experiment : source.current().experiments()) {
            if (experiment.surface().equals(surface) && experiment.stopped()) {
                // stopped by a product team: everyone sees the control, nobody is exposed
                served.put(experiment.id(), experiment.control());
                continue;
            }
            if (!experiment.surface().equals(surface) || !experiment.running(now)) {
                continue;
            }
            Optional<String> variant = Assignment.variantOf(experiment, userId);
            served.put(experiment.id(), variant.orElse(experiment.control()));
            if (expose && variant.isPresent()) {
                expose(experiment, userId, variant.get(), now);
            }
        }
        return served;
    }

    private void expose(Experiment experiment, String userId, String variant, Instant now) {
        String revision = experiment.revision();
        String key = experiment.id() + ":" + revision + ":" + userId;
        if (recentlyExposed.contains(key)) {
            return;
        }
        try {
            store.recordExposure(new ExperimentStore.Exposure(experiment.id(), revision, userId, variant,
                    experiment.variants(), now), experiment.end().plus(MARKER_GRACE));
            recentlyExposed.add(key);
        } catch (RuntimeException e) {
            // The user is served anyway; a lost exposure shows as a sample-ratio mismatch if it is systematic.
            LOG.warn("exposure of {} to {} was not recorded", userId, experiment.id(), e);
        }
    }

    /**
     * One experiment as listed.
     *
     * @param minimumDetectableLift the declared one, else {@link Experiment#DEFAULT_MINIMUM_DETECTABLE_LIFT}
     */
    public record Summary(String id, String description, String status, List<Variant> variants, String control,
                          List<String> metrics, String start, String end, int allocation, double minimumDetectableLift,
                          List<String> guardrails) {
    }

    public List<Summary> list() {
        Instant now = clock.instant();
        return source.current().experiments().stream().map(e -> summary(e, now)).toList();
    }

    /** One experiment as listed, at this moment. */
    public static Summary summary(Experiment e, Instant now) {
        return new Summary(e.id(), e.description(), e.status(now), e.variants(), e.control(), e.metrics(),
                e.start().toString(), e.end().toString(), e.allocation(), e.detectableLift(), e.guardrails());
    }

    /**
     * A variant's counts and, for a treatment, its comparison with the control: the fixed-horizon
     * z-test ({@code vsControl}) and the sequential test ({@code sequential}, null when neither arm's
     * rate varies yet).
     */
    public record VariantResult(String name, boolean control, long exposures, long conversions, double rate,
                                Statistics.Comparison vsControl, Statistics.Sequential sequential) {
    }

    /**
     * The users a fixed-horizon test of a metric needs per variant.
     *
     * @param minimumDetectableLift the relative lift over the control's rate to detect
     * @param controlRate           the control's observed rate the size is computed from
     * @param perVariant            users per variant for 80 % power at a two-sided 5 %; null while the
     *                              control has no conversion (or the lifted rate would reach 100 %)
     * @param reached               every variant has at least {@code perVariant} exposures
     */
    public record SampleSize(double minimumDetectableLift, double controlRate, Long perVariant, boolean reached) {
    }

    public record MetricResult(String metric, List<VariantResult> variants, SampleSize sampleSize) {
    }

    /**
     * One revision's results: its split checked against its own weights, its metrics.
     *
     * @param weights each variant's weight in this revision, in declared order
     */
    public record RevisionResult(String revision, Map<String, Integer> weights, Statistics.SampleRatio sampleRatio,
                                 List<MetricResult> metrics) {
    }

    /**
     * The current revision's results, and those of the revisions before a weight or allocation change.
     *
     * @param guardrails the current revision's, per guardrail the experiment watches and per variant
     */
    public record Results(Summary experiment, String revision, Statistics.SampleRatio sampleRatio, List<MetricResult> metrics,
                          List<RevisionResult> earlierRevisions, List<Guardrails.Result> guardrails) {
    }

    /** Results from the rollups: one query, whatever the number of users. */
    public Results results(String experimentId) {
        Experiment experiment = source.current().find(experimentId).orElseThrow(() -> SocialException.notFound(
                "experiment_not_found", "No experiment '" + experimentId + "'; GET /v1/experiments lists them."));
        String current = experiment.revision();
        List<ExperimentStore.RevisionCounts> stored = store.counts(experimentId);
        Map<String, Map<String, Long>> counts = stored.stream().filter(r -> r.revision().equals(current)).findFirst()
                .map(ExperimentStore.RevisionCounts::counts).orElse(Map.of());
        RevisionResult now = revision(experiment, new ExperimentStore.RevisionCounts(current, experiment.variants(), counts));
        List<RevisionResult> earlier = stored.stream().filter(r -> !r.revision().equals(current))
                .map(r -> revision(experiment, r)).toList();
        return new Results(summary(experiment, clock.instant()), current, now.sampleRatio(), now.metrics(), earlier,
                Guardrails.evaluate(experiment, counts));
    }

    /** A revision's results: the exposures against its weights, each treatment against the control. */
    private static RevisionResult revision(Experiment experiment, ExperimentStore.RevisionCounts revision) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        revision.split().forEach(v -> weights.put(v.name(), v.weight()));
        Map<String, Map<String, Long>> counts = revision.counts();
        List<String> names = new ArrayList<>(weights.keySet());
        long[] exposures = new long[names.size()];
        double[] shares = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            exposures[i] = counts.getOrDefault(names.get(i), Map.of()).getOrDefault("exposures", 0L);
            shares[i] = weights.get(names.get(i));
        }
        // a revision whose split no marker recorded cannot be checked
        Statistics.SampleRatio srm = names.size() < 2 ? new Statistics.SampleRatio(0, 0, 1, false)
                : Statistics.sampleRatio(exposures, shares);
        List<MetricResult> metrics = new ArrayList<>();
        Map<String, Long> control = counts.getOrDefault(experiment.control(), Map.of());
        long nc = control.getOrDefault("exposures", 0L);
        double lift = experiment.detectableLift();
        for (String metric : experiment.metrics()) {
            long xc = control.getOrDefault("conversions:" + metric, 0L);
            List<VariantResult> variants = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                long n = exposures[i];
                long x = counts.getOrDefault(name, Map.of()).getOrDefault("conversions:" + metric, 0L);
                boolean isControl = name.equals(experiment.control());
                boolean compared = !isControl && weights.containsKey(experiment.control());
                Statistics.Comparison comparison = compared ? Statistics.compare(nc, xc, n, x).orElse(null) : null;
                Statistics.Sequential sequential = compared ? Statistics.sequential(nc, xc, n, x,
                        Statistics.mixingTau(nc, xc, n, x, lift)).orElse(null) : null;
                variants.add(new VariantResult(name, isControl, n, x, n == 0 ? 0 : (double) x / n, comparison, sequential));
            }
            double controlRate = nc == 0 ? 0 : (double) xc / nc;
            Long perVariant = Statistics.sampleSize(controlRate, lift).stream().boxed().findFirst().orElse(null);
            boolean reached = perVariant != null && names.size() >= 2
                    && java.util.Arrays.stream(exposures).allMatch(n -> n >= perVariant);
            metrics.add(new MetricResult(metric, variants, new SampleSize(lift, controlRate, perVariant, reached)));
        }
        return new RevisionResult(revision.revision(), weights, srm, metrics);
    }
}
