package dev.glint.shared.experiments;

import dev.glint.shared.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestGuardrailsTest {

    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    private static final Experiment WATCHED = experiment("watched", List.of(Experiment.ERROR_RATE));
    private static final Experiment UNWATCHED = experiment("unwatched", List.of(Experiment.UNLIKE_RATE));

    private static Experiment experiment(String id, List<String> guardrails) {
        return new Experiment(id, "", Experiment.FEED, List.of(new Variant("a", 1), new Variant("b", 1)), "a",
                List.of("likes"), NOW.minusSeconds(86_400), NOW.plusSeconds(86_400), 100, null, false, guardrails);
    }

    private record Add(String experimentId, String revision, String variant, Map<String, Long> increments) {
    }

    private final List<Add> adds = new ArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final MutableClock clock = new MutableClock(NOW);
    private final RequestGuardrails meter = new RequestGuardrails(
            ExperimentSource.fixed(new ExperimentConfig(List.of(WATCHED, UNWATCHED))), (e, r, v, i) -> {
                if (failing.get()) {
                    throw new IllegalStateException("table unavailable");
                }
                adds.add(new Add(e, r, v, i));
            }, clock, Duration.ofSeconds(30));

    @Test
    void requestsAreCountedUnderTheCallersVariantAndFlushedOnceAnIntervalHasPassed() {
        String user = "u1";
        String variant = Assignment.variantOf(WATCHED, user).orElseThrow();
        meter.record(user, 200, 12);
        meter.record(user, 503, 900);
        meter.record(null, 500, 5);
        meter.flushIfDue();
        assertTrue(adds.isEmpty(), "nothing is written before the interval");
        clock.set(NOW.plusSeconds(31));
        meter.record(user, 200, 12);
        meter.flushIfDue();
        assertEquals(1, adds.size(), "one update per experiment-variant, none for an experiment that watches no request");
        Add add = adds.get(0);
        assertEquals("watched", add.experimentId());
        assertEquals(WATCHED.revision(), add.revision());
        assertEquals(variant, add.variant());
        Map<String, Long> expected = new HashMap<>(Map.of(Guardrails.REQUESTS, 3L, Guardrails.ERRORS, 1L,
                Guardrails.latency(LatencyHistogram.bucketOf(12)), 2L, Guardrails.latency(LatencyHistogram.bucketOf(900)), 1L));
        assertEquals(expected, add.increments());
        meter.flushIfDue();
        assertEquals(1, adds.size(), "nothing new, nothing written");
    }

    @Test
    void aFailedFlushKeepsTheCountsForTheNext() {
        meter.record("u2", 200, 3);
        clock.set(NOW.plusSeconds(31));
        failing.set(true);
        meter.flushIfDue();
        failing.set(false);
        meter.record("u2", 200, 3);
        clock.set(NOW.plusSeconds(62));
        meter.flushIfDue();
        assertEquals(1, adds.size());
        assertEquals(2L, adds.get(0).increments().get(Guardrails.REQUESTS));
    }

    @Test
    void theFlushIntervalIsWholeSecondsFromTheEnvironment() {
        assertEquals(RequestGuardrails.DEFAULT_FLUSH, RequestGuardrails.flushInterval(Map.of()));
        assertEquals(Duration.ofSeconds(1), RequestGuardrails.flushInterval(Map.of(RequestGuardrails.ENV_FLUSH_SECONDS, "1")));
        assertThrows(IllegalArgumentException.class,
                () -> RequestGuardrails.flushInterval(Map.of(RequestGuardrails.ENV_FLUSH_SECONDS, "0")));
    }
}
