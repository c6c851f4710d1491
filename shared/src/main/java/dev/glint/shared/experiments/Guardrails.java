package dev.glint.shared.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Guardrail metrics: harms an experiment must not cause, judged per treatment against the control by a
 * one-sided always-valid test, so the automatic check may look every few minutes for the whole run.
 *
 * <ul>
 *   <li>{@code error_rate}: the share of the variant's users' api requests answered 5xx;</li>
 *   <li>{@code p95_latency}: the 95th percentile of their requests' latency, from a
 *       {@link LatencyHistogram}; tested as the share of the variant's requests slower than the upper
 *       bound of the control's p95 bucket against the control's own share above it (about 5 %): a
 *       variant with a worse p95 has more of its requests above that bound;</li>
 *   <li>{@code unlike_rate}, {@code unfollow_rate}: the likes (follows) the variant's users removed
 *       over those they made.</li>
 * </ul>
 *
 * <p>The test ({@link #worse}) is the mixture sequential probability ratio test of
 * {@link Statistics#sequential}, made one-sided: the mixing distribution over the difference
 * θ = p_t - p_c is a half-normal on θ > 0 with scale τ = {@link #RELATIVE_HARM} × the pooled rate, and
 * the variance is the pooled one, p̄(1-p̄)(1/n_c + 1/n_t) (the variance under "no difference", defined
 * even when one arm has no event at all). The mixture likelihood ratio is then
 * Λ⁺ = 2 Λ Φ(τ d / sqrt(V (V + τ²))), with Λ the two-sided normal mixture's; as a mixture of
 * likelihood ratios it is a martingale under θ = 0 (a supermartingale under θ ≤ 0), so by Ville's
 * inequality P(any look ever shows p = 1/Λ⁺ below α) ≤ α: the check may look as often as it likes.
 *
 * <p>Degraded means p below {@link #THRESHOLD}, the bar of the sample-ratio check: a stop is costly
 * and is taken without a person, so it needs strong evidence; with both arms at
 * {@link #MINIMUM_SAMPLE} or more (the normal approximation needs some events behind it).
 */
public final class Guardrails {

    /** A guardrail whose always-valid p-value is below this is degraded. */
    public static final double THRESHOLD = Statistics.SRM_THRESHOLD;
    /** Requests (likes, follows) each of the control and the variant needs before it is judged. */
    public static final long MINIMUM_SAMPLE = 50;
    /**
     * The harm the test is most sensitive to: half again the pooled rate (the mixing scale). Guardrails
     * are for clear harm, caught early; a smaller scale would catch small harms later and large ones
     * more slowly.
     */
    public static final double RELATIVE_HARM = 0.5;

    /** The rollup counts guardrails are computed from (per revision and variant). */
    public static final String REQUESTS = "guardrail:requests";
    public static final String ERRORS = "guardrail:errors";
    public static final String LATENCY = "guardrail:latency:";
    public static final String LIKES = "guardrail:likes";
    public static final String UNLIKES = "guardrail:unlikes";
    public static final String FOLLOWS = "guardrail:follows";
    public static final String UNFOLLOWS = "guardrail:unfollows";

    private Guardrails() {
    }

    /** The count name of a latency bucket, e.g. {@code guardrail:latency:07}. */
    public static String latency(int bucket) {
        return LATENCY_NAMES[bucket];
    }

    private static final String[] LATENCY_NAMES = java.util.stream.IntStream.range(0, LatencyHistogram.BUCKETS)
            .mapToObj(b -> String.format(Locale.ROOT, "%s%02d", LATENCY, b)).toArray(String[]::new);

    /**
     * One guardrail of one variant.
     *
     * @param value    the rate, or the p95 in ms for {@code p95_latency} (0 while there is no request)
     * @param n        the requests (likes, follows) it is computed from
     * @param pValue   the one-sided always-valid p-value that the variant is worse than the control;
     *                 null for the control and while it cannot be computed (an arm without data, or
     *                 no event in either)
     * @param degraded {@code pValue} below {@link #THRESHOLD} with both arms at {@link #MINIMUM_SAMPLE}
     */
    public record Result(String metric, String variant, double value, long n, Double pValue, boolean degraded) {
    }

    /** Per guardrail in declared order, per variant in declared order (the control included). */
    public static List<Result> evaluate(Experiment experiment, Map<String, Map<String, Long>> counts) {
        List<Result> out = new ArrayList<>();
        Map<String, Long> control = counts.getOrDefault(experiment.control(), Map.of());
        for (String metric : experiment.guardrails()) {
            for (Variant variant : experiment.variants()) {
                Map<String, Long> mine = counts.getOrDefault(variant.name(), Map.of());
                boolean isControl = variant.name().equals(experiment.control());
                out.add(result(metric, variant.name(), control, mine, isControl));
            }
        }
        return out;
    }

    private static Result result(String metric, String variant, Map<String, Long> control, Map<String, Long> mine,
                                 boolean isControl) {
        long nc;
        long xc;
        long nt;
        long xt;
        double value;
        if (metric.equals(Experiment.P95_LATENCY)) {
            LatencyHistogram c = histogram(control);
            LatencyHistogram t = histogram(mine);
            nc = c.total();
            nt = t.total();
            int bound = c.quantileBucket(0.95);
            xc = bound < 0 ? 0 : c.above(bound);
            xt = bound < 0 ? 0 : t.above(bound);
            Double p95 = t.p95Millis();
            value = p95 == null ? 0 : p95;
        } else {
            String total = switch (metric) {
                case Experiment.ERROR_RATE -> REQUESTS;
                case Experiment.UNLIKE_RATE -> LIKES;
                case Experiment.UNFOLLOW_RATE -> FOLLOWS;
                default -> throw new IllegalArgumentException("unknown guardrail " + metric);
            };
            String events = switch (metric) {
                case Experiment.ERROR_RATE -> ERRORS;
                case Experiment.UNLIKE_RATE -> UNLIKES;
                default -> UNFOLLOWS;
            };
            nc = control.getOrDefault(total, 0L);
            nt = mine.getOrDefault(total, 0L);
            // an unlike of a like made before the experiment (or its revision) has no like counted
            // beside it: the test takes at most one event per like
            xc = Math.min(control.getOrDefault(events, 0L), nc);
            xt = Math.min(mine.getOrDefault(events, 0L), nt);
            value = nt == 0 ? 0 : (double) mine.getOrDefault(events, 0L) / nt;
        }
        if (isControl) {
            return new Result(metric, variant, value, nt, null, false);
        }
        OptionalDouble p = worse(nc, xc, nt, xt);
        boolean degraded = p.isPresent() && p.getAsDouble() < THRESHOLD && nc >= MINIMUM_SAMPLE && nt >= MINIMUM_SAMPLE;
        return new Result(metric, variant, value, nt, p.isPresent() ? p.getAsDouble() : null, degraded);
    }

    /** The histogram of a variant's counts. */
    public static LatencyHistogram histogram(Map<String, Long> counts) {
        long[] buckets = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = counts.getOrDefault(latency(i), 0L);
        }
        return LatencyHistogram.of(buckets);
    }

    /**
     * The one-sided always-valid p-value that the treatment's rate ({@code xt} of {@code nt}) is
     * higher than the control's ({@code xc} of {@code nc}); see the class comment.
     *
     * @return empty when an arm has no data or neither (or every one) has an event
     */
    public static OptionalDouble worse(long nc, long xc, long nt, long xt) {
        if (nc <= 0 || nt <= 0) {
            return OptionalDouble.empty();
        }
        double pooled = (double) (xc + xt) / (nc + nt);
        if (!(pooled > 0 && pooled < 1)) {
            return OptionalDouble.empty();
        }
        double v = pooled * (1 - pooled) * (1.0 / nc + 1.0 / nt);
        double tau = RELATIVE_HARM * pooled;
        double d = (double) xt / nt - (double) xc / nc;
        double logLambda = Statistics.logMixtureLikelihoodRatio(d, v, tau)
                + Math.log(2 * Statistics.normalCdf(tau * d / Math.sqrt(v * (v + tau * tau))));
        return OptionalDouble.of(Math.min(1, Math.exp(-logLambda)));
    }

    /** Why the experiment must stop, if a guardrail of a treatment degraded: the first one, in declared order. */
    public static Optional<String> reason(Experiment experiment, Map<String, Map<String, Long>> counts) {
        List<Result> results = evaluate(experiment, counts);
        for (Result r : results) {
            if (!r.degraded()) {
                continue;
            }
            Result control = results.stream().filter(c -> c.metric().equals(r.metric())
                    && c.variant().equals(experiment.control())).findFirst().orElseThrow();
            boolean latency = r.metric().equals(Experiment.P95_LATENCY);
            String unit = switch (r.metric()) {
                case Experiment.UNLIKE_RATE -> "likes";
                case Experiment.UNFOLLOW_RATE -> "follows";
                default -> "requests";
            };
            return Optional.of(String.format(Locale.ROOT,
                    "guardrail %s degraded in variant %s (p=%.2g < %s): %s over %d %s against %s over %d in control %s",
                    r.metric(), r.variant(), r.pValue(), THRESHOLD, show(r.value(), latency), r.n(), unit,
                    show(control.value(), latency), control.n(), control.variant()));
        }
        return Optional.empty();
    }

    private static String show(double value, boolean latency) {
        return latency ? String.format(Locale.ROOT, "p95 %.0f ms", value) : String.format(Locale.ROOT, "%.4f", value);
    }
}
