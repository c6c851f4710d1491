package dev.glint.shared.experiments;

import dev.glint.shared.json.Json;
import dev.glint.shared.social.SocialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The automatic stop: checks each running experiment's current revision and stops, through
 * {@link ExperimentAdmin#change}, one whose assignment is broken, so the stop is a versioned change
 * like any other, in the change log with the reason and {@link #SYSTEM} as who.
 *
 * <p>Broken means the always-valid sample-ratio check ({@link Statistics#sampleRatioAlwaysValid}, made at
 * every check without inflating false stops) fails ({@link Statistics#SRM_THRESHOLD}) once the revision
 * has at least {@link #MINIMUM_EXPOSURES}: the exposures do not follow the weights, so some users'
 * exposures are lost or some variant is served to the wrong people, and no comparison of that
 * revision can be trusted; or one of its {@link Experiment#guardrails()} degraded in a variant
 * ({@link Guardrails}: a one-sided always-valid test against the control, p below 0.001). Costs: one read of the definitions (AppConfig) and one query of each
 * running experiment's rollups per check; a stop writes one hosted version, one change-log item and
 * one deployment.
 */
public final class ExperimentGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentGuard.class);

    /** Who the change log names for an automatic stop (no user id starts with {@code system:}). */
    public static final ExperimentAdmin.Actor SYSTEM = new ExperimentAdmin.Actor("system:guardrails", "guardrails");

    /**
     * The exposures a revision needs before its split is judged: below it a few users' luck is not
     * mistaken for a broken assignment (at 50/50, 100 users need a 77/23 split or worse for the always-valid
     * p < 0.001).
     */
    public static final long MINIMUM_EXPOSURES = 100;

    private final ExperimentAdmin admin;
    private final ExperimentStore store;
    private final Clock clock;

    public ExperimentGuard(ExperimentAdmin admin, ExperimentStore store, Clock clock) {
        this.admin = admin;
        this.store = store;
        this.clock = clock;
    }

    /** One experiment stopped by a check. */
    public record Stop(String experimentId, String revision, String reason) {
    }

    /**
     * Checks every running experiment and stops the broken ones.
     *
     * @return the experiments stopped by this check
     */
    public List<Stop> check() {
        Instant now = clock.instant();
        List<Stop> stopped = new ArrayList<>();
        for (Experiment experiment : admin.current().config().experiments()) {
            if (!experiment.running(now)) {
                continue;
            }
            String revision = experiment.revision();
            Map<String, Map<String, Long>> counts = store.counts(experiment.id()).stream()
                    .filter(r -> r.revision().equals(revision)).findFirst()
                    .map(ExperimentStore.RevisionCounts::counts).orElse(Map.of());
            Optional<String> reason = reason(experiment, counts);
            if (reason.isEmpty()) {
                continue;
            }
            try {
                var written = admin.change(experiment.id(), Json.object().put("status", Experiment.STOPPED), SYSTEM,
                        OptionalInt.empty(), reason.get());
                LOG.warn("experiment {} stopped at version {}: {}", experiment.id(), written.version(), reason.get());
                stopped.add(new Stop(experiment.id(), revision, reason.get()));
            } catch (SocialException e) {
                // Someone else changed the experiments meanwhile: the next check judges what they wrote.
                LOG.warn("experiment {} was not stopped ({}); the next check tries again", experiment.id(), e.getMessage());
            }
        }
        return stopped;
    }

    /**
     * Why a revision with these counts (per variant, {@code exposures} and the guardrails' counts) must
     * be stopped, if it must: a broken split first (no comparison of the revision can be trusted then),
     * else a degraded guardrail ({@link Guardrails}).
     */
    public static Optional<String> reason(Experiment experiment, Map<String, Map<String, Long>> counts) {
        return sampleRatioReason(experiment, counts).or(() -> Guardrails.reason(experiment, counts));
    }

    private static Optional<String> sampleRatioReason(Experiment experiment, Map<String, Map<String, Long>> counts) {
        List<Variant> variants = experiment.variants();
        if (variants.size() < 2) {
            return Optional.empty();
        }
        long[] exposures = new long[variants.size()];
        double[] weights = new double[variants.size()];
        long total = 0;
        for (int i = 0; i < variants.size(); i++) {
            exposures[i] = counts.getOrDefault(variants.get(i).name(), Map.of()).getOrDefault("exposures", 0L);
            weights[i] = variants.get(i).weight();
            total += exposures[i];
        }
        if (total < MINIMUM_EXPOSURES) {
            return Optional.empty();
        }
        // Checked every few minutes for as long as the experiment runs: the always-valid test, which so many looks
        // do not make trip on a sound split (the fixed-horizon chi-square, shown beside it, is for one look).
        Statistics.SampleRatio srm = Statistics.sampleRatio(exposures, weights);
        if (srm.alwaysValidPValue() >= Statistics.SRM_THRESHOLD) {
            return Optional.empty();
        }
        StringBuilder observed = new StringBuilder();
        for (int i = 0; i < variants.size(); i++) {
            observed.append(i == 0 ? "" : ", ").append(variants.get(i).name()).append(' ').append(exposures[i])
                    .append(" (weight ").append(variants.get(i).weight()).append(')');
        }
        return Optional.of(String.format(Locale.ROOT,
                "sample ratio mismatch in revision %s: exposures %s, always-valid p = %.2g < %s (chi-square %.1f)",
                experiment.revision(), observed, srm.alwaysValidPValue(), Statistics.SRM_THRESHOLD, srm.chiSquare()));
    }
}
