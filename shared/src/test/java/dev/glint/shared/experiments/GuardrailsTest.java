package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guardrails' one-sided always-valid test: a real degradation is caught, equal variants are not,
 * and peeking after every batch of requests for a long time rarely stops a healthy experiment.
 */
class GuardrailsTest {

    private static final Experiment X = new Experiment("x", "", Experiment.FEED,
            List.of(new Variant("a", 1), new Variant("b", 1)), "a", List.of("likes"),
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"), 100, null, false,
            List.of(Experiment.ERROR_RATE, Experiment.P95_LATENCY, Experiment.UNLIKE_RATE));

    @Test
    void aVariantFailingFarMoreOftenIsDegradedAndTheControlIsNeverJudged() {
        Map<String, Map<String, Long>> counts = Map.of(
                "a", Map.of(Guardrails.REQUESTS, 400L, Guardrails.ERRORS, 4L),
                "b", Map.of(Guardrails.REQUESTS, 400L, Guardrails.ERRORS, 40L));
        List<Guardrails.Result> results = Guardrails.evaluate(X, counts);
        assertEquals(6, results.size(), "each guardrail for each variant, the control included");
        Guardrails.Result control = results.get(0);
        assertEquals("a", control.variant());
        assertNull(control.pValue());
        assertFalse(control.degraded());
        assertEquals(0.01, control.value(), 1e-12);
        Guardrails.Result b = results.get(1);
        assertEquals(Experiment.ERROR_RATE, b.metric());
        assertEquals(0.1, b.value(), 1e-12);
        assertEquals(400, b.n());
        assertTrue(b.pValue() < Guardrails.THRESHOLD, "p " + b.pValue());
        assertTrue(b.degraded());
        String reason = Guardrails.reason(X, counts).orElseThrow();
        assertTrue(reason.startsWith("guardrail error_rate degraded in variant b (p="), reason);
    }

    @Test
    void aBetterVariantIsNotDegradedAndNeitherIsOneBelowTheMinimumSample() {
        assertTrue(Guardrails.worse(400, 40, 400, 4).getAsDouble() > 0.5, "fewer errors is no harm");
        Map<String, Map<String, Long>> small = Map.of(
                "a", Map.of(Guardrails.REQUESTS, 40L, Guardrails.ERRORS, 0L),
                "b", Map.of(Guardrails.REQUESTS, 40L, Guardrails.ERRORS, 40L));
        Guardrails.Result b = Guardrails.evaluate(X, small).get(1);
        assertTrue(b.pValue() < Guardrails.THRESHOLD);
        assertFalse(b.degraded(), "40 requests each are below the minimum sample");
        assertTrue(Guardrails.worse(100, 0, 100, 0).isEmpty(), "no error anywhere: nothing to test");
    }

    @Test
    void aSlowerVariantDegradesP95AndUnlikesCountAgainstLikes() {
        SplittableRandom random = new SplittableRandom(3);
        Map<String, Map<String, Long>> counts = new HashMap<>();
        counts.put("a", latencies(random, 2000, 40, 1.0));
        counts.put("b", latencies(random, 2000, 40, 1.5));
        counts.get("a").putAll(Map.of(Guardrails.LIKES, 300L, Guardrails.UNLIKES, 15L));
        counts.get("b").putAll(Map.of(Guardrails.LIKES, 300L, Guardrails.UNLIKES, 16L));
        List<Guardrails.Result> results = Guardrails.evaluate(X, counts);
        Guardrails.Result p95 = results.get(3);
        assertEquals(Experiment.P95_LATENCY, p95.metric());
        assertTrue(p95.degraded(), p95.toString());
        assertTrue(p95.value() > results.get(2).value(), "b's p95 above a's: " + results);
        Guardrails.Result unlikes = results.get(5);
        assertEquals(16.0 / 300, unlikes.value(), 1e-12);
        assertFalse(unlikes.degraded(), unlikes.toString());
        assertTrue(Guardrails.reason(X, counts).orElseThrow().startsWith("guardrail p95_latency degraded in variant b"));
    }

    /** Latencies of a log-normal around {@code medianMillis} times {@code slower}, as histogram counts. */
    private static Map<String, Long> latencies(SplittableRandom random, int n, double medianMillis, double slower) {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < n; i++) {
            h.add(slower * medianMillis * Math.exp(0.6 * gaussian(random)));
        }
        Map<String, Long> out = new HashMap<>();
        for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
            out.put(Guardrails.latency(b), h.count(b));
        }
        out.put(Guardrails.REQUESTS, (long) n);
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * 2,000 A/A experiments at a 2 % error rate, checked after every 100 requests per variant up to
     * 10,000 (100 looks each): the always-valid bar of 0.001 holds under peeking, so the stops must stay
     * below the 0.999 critical count of Binomial(2,000, 0.001) (6). And 300 experiments whose variant
     * fails twice as often (4 %) are nearly all caught within the same 10,000 requests.
     */
    @Test
    void peekingAfterEveryHundredRequestsRarelyStopsEqualVariantsAndCatchesADoubledErrorRate() {
        SplittableRandom random = new SplittableRandom(19);
        int falseStops = 0;
        for (int e = 0; e < 2000; e++) {
            if (stoppedWithin(random, 0.02, 0.02, 100, 100) >= 0) {
                falseStops++;
            }
        }
        System.out.printf("guardrail error_rate: A/A stops %d of 2000%n", falseStops);
        assertTrue(falseStops <= 6, "A/A stops " + falseStops + " of 2000");
        int caught = 0;
        for (int e = 0; e < 300; e++) {
            if (stoppedWithin(random, 0.02, 0.04, 100, 100) >= 0) {
                caught++;
            }
        }
        System.out.printf("guardrail error_rate: 2 %% vs 4 %% caught in %d of 300 within 10,000 requests each%n", caught);
        assertTrue(caught >= 270, "doubled error rate caught in " + caught + " of 300");
    }

    /** @return the look at which the test first said degraded, or -1 */
    private static int stoppedWithin(SplittableRandom random, double control, double treatment, int perLook, int looks) {
        long nc = 0;
        long xc = 0;
        long nt = 0;
        long xt = 0;
        for (int look = 0; look < looks; look++) {
            for (int i = 0; i < perLook; i++) {
                xc += random.nextDouble() < control ? 1 : 0;
                xt += random.nextDouble() < treatment ? 1 : 0;
            }
            nc += perLook;
            nt += perLook;
            OptionalDouble p = Guardrails.worse(nc, xc, nt, xt);
            if (nc >= Guardrails.MINIMUM_SAMPLE && p.isPresent() && p.getAsDouble() < Guardrails.THRESHOLD) {
                return look;
            }
        }
        return -1;
    }

    /** Equal latency distributions peeked at 40 times: the p95 guardrail stops (almost) none of 300. */
    @Test
    void equalLatenciesPeekedOftenAreRarelyStopped() {
        SplittableRandom random = new SplittableRandom(7);
        int stops = 0;
        for (int e = 0; e < 300; e++) {
            Map<String, Long> a = new HashMap<>();
            Map<String, Long> b = new HashMap<>();
            for (int look = 0; look < 40; look++) {
                merge(a, latencies(random, 50, 40, 1.0));
                merge(b, latencies(random, 50, 40, 1.0));
                Guardrails.Result r = Guardrails.evaluate(X, Map.of("a", a, "b", b)).get(3);
                if (r.degraded()) {
                    stops++;
                    break;
                }
            }
        }
        System.out.printf("guardrail p95_latency: A/A stops %d of 300%n", stops);
        // Binomial(300, 0.001) exceeds 2 with probability under 0.004
        assertTrue(stops <= 2, "A/A p95 stops " + stops + " of 300");
    }

    private static void merge(Map<String, Long> into, Map<String, Long> add) {
        add.forEach((k, v) -> into.merge(k, v, Long::sum));
    }
}
