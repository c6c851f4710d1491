package dev.glint.shared.experiments;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The api's guardrail measurement: each request served to a user assigned to a variant of a running
 * experiment that watches {@code error_rate} or {@code p95_latency} counts under that variant (its
 * current revision): one request, one error if it was answered 5xx, one in its latency's
 * {@link LatencyHistogram} bucket. Counts are kept in memory, per container, and added to the
 * table ({@link GuardrailCounts}, one update per experiment-variant touched) by the first request
 * that finds the last flush older than the interval.
 *
 * <p>What a container loses: whatever it counted since its last flush when Lambda reaps it (at most
 * one interval of its requests). A frozen container keeps its counts and flushes them with its next
 * request. Losses do not depend on the variant, so they make the test slower, not wrong. A failed
 * flush keeps the counts for the next one.
 */
public final class RequestGuardrails {

    private static final Logger LOG = LoggerFactory.getLogger(RequestGuardrails.class);
    /** The deployed interval between flushes. */
    public static final Duration DEFAULT_FLUSH = Duration.ofSeconds(30);
    public static final String ENV_FLUSH_SECONDS = "GLINT_GUARDRAIL_FLUSH_SECONDS";

    private record Cell(String experimentId, String revision, String variant) {
    }

    private final ExperimentSource source;
    private final GuardrailCounts store;
    private final Clock clock;
    private final Duration flushEvery;
    private Map<Cell, long[]> pending = new LinkedHashMap<>();
    private Instant lastFlush;

    public RequestGuardrails(ExperimentSource source, GuardrailCounts store, Clock clock, Duration flushEvery) {
        this.source = source;
        this.store = store;
        this.clock = clock;
        this.flushEvery = flushEvery;
        this.lastFlush = clock.instant();
    }

    /** Measures nothing. */
    public static RequestGuardrails none() {
        return new RequestGuardrails(ExperimentSource.fixed(ExperimentConfig.none()), (e, r, v, i) -> { },
                Clock.systemUTC(), DEFAULT_FLUSH);
    }

    /** The flush interval in {@link #ENV_FLUSH_SECONDS}, else {@link #DEFAULT_FLUSH}. */
    public static Duration flushInterval(Map<String, String> env) {
        String raw = env.get(ENV_FLUSH_SECONDS);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_FLUSH;
        }
        try {
            long seconds = Long.parseLong(raw.trim());
            if (seconds >= 1 && seconds <= 900) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(ENV_FLUSH_SECONDS + " must be whole seconds from 1 to 900, got " + raw);
    }

    /**
     * One request served: counted under each watching experiment the user is assigned a variant of.
     *
     * @param userId the caller ({@code sub}); null for an anonymous request, which counts nowhere
     */
    public void record(String userId, int status, double millis) {
        if (userId == null || userId.isBlank()) {
            return;
        }
        Instant now = clock.instant();
        for (Experiment experiment : source.current().experiments()) {
            if (!experiment.watchesRequests() || !experiment.running(now)) {
                continue;
            }
            Optional<String> variant = Assignment.variantOf(experiment, userId);
            if (variant.isEmpty()) {
                continue;
            }
            Cell cell = new Cell(experiment.id(), experiment.revision(), variant.get());
            synchronized (this) {
                long[] counts = pending.computeIfAbsent(cell, c -> new long[2 + LatencyHistogram.BUCKETS]);
                counts[0]++;
                counts[1] += status >= 500 ? 1 : 0;
                counts[2 + LatencyHistogram.bucketOf(millis)]++;
            }
        }
    }

    /** Flushes when the last flush is older than the interval (called after each request is measured). */
    public void flushIfDue() {
        Map<Cell, long[]> due;
        synchronized (this) {
            Instant now = clock.instant();
            if (pending.isEmpty() || Duration.between(lastFlush, now).compareTo(flushEvery) < 0) {
                return;
            }
            due = pending;
            pending = new LinkedHashMap<>();
            lastFlush = now;
        }
        due.forEach((cell, counts) -> {
            try {
                store.add(cell.experimentId(), cell.revision(), cell.variant(), increments(counts));
            } catch (RuntimeException e) {
                LOG.warn("guardrail counts of {} variant {} were not flushed; kept for the next flush",
                        cell.experimentId(), cell.variant(), e);
                synchronized (this) {
                    long[] into = pending.computeIfAbsent(cell, c -> new long[counts.length]);
                    for (int i = 0; i < counts.length; i++) {
                        into[i] += counts[i];
                    }
                }
            }
        });
    }

    private static Map<String, Long> increments(long[] counts) {
        Map<String, Long> out = new HashMap<>();
        out.put(Guardrails.REQUESTS, counts[0]);
        if (counts[1] > 0) {
            out.put(Guardrails.ERRORS, counts[1]);
        }
        for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
            if (counts[2 + b] > 0) {
                out.put(Guardrails.latency(b), counts[2 + b]);
            }
        }
        return out;
    }
}
