package dev.glint.shared.experiments;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Experiments read at run time, cached in the container: the configuration store is asked at most
 * once per {@link #interval()} (on the request that finds the cache due, which pays one call), and
 * what it answers replaces the cache only when it is valid. A failed or invalid poll keeps the last
 * good definitions; until a first poll succeeds those are the {@code fallback} (the stage's file, read
 * at init). So the definitions a container serves are at most one interval older than the store's
 * deployed ones while the store answers, and the last good ones while it does not.
 */
public final class CachedExperimentSource implements ExperimentSource {

    private static final Logger LOG = LoggerFactory.getLogger(CachedExperimentSource.class);

    /** Asks the store what changed: the new content, or empty when nothing changed since the last poll. */
    @FunctionalInterface
    public interface Poller {
        Optional<String> poll();
    }

    private final Poller poller;
    private final Duration interval;
    private final Clock clock;
    private volatile ExperimentConfig config;
    private volatile Instant due;
    private volatile Outcome last = Outcome.NONE;

    /** What the last poll did, for logs and tests. */
    public enum Outcome { NONE, UNCHANGED, UPDATED, INVALID, FAILED }

    /** Polls once now, at init: a cold start serves the store's definitions when it answers. */
    public CachedExperimentSource(ExperimentConfig fallback, Poller poller, Duration interval, Clock clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("poll interval must not be negative: " + interval);
        }
        this.config = fallback;
        this.poller = poller;
        this.interval = interval;
        this.clock = clock;
        refresh(clock.instant());
    }

    public Duration interval() {
        return interval;
    }

    public Outcome lastOutcome() {
        return last;
    }

    @Override
    public ExperimentConfig current() {
        Instant now = clock.instant();
        if (!now.isBefore(due)) {
            synchronized (this) {
                if (!now.isBefore(due)) {
                    refresh(now);
                }
            }
        }
        return config;
    }

    private void refresh(Instant now) {
        due = now.plus(interval);
        Optional<String> content;
        try {
            content = poller.poll();
        } catch (RuntimeException e) {
            last = Outcome.FAILED;
            LOG.warn("experiments: the configuration store did not answer; serving the last good definitions", e);
            return;
        }
        if (content.isEmpty()) {
            last = Outcome.UNCHANGED;
            return;
        }
        try {
            config = ExperimentConfig.parse(content.get());
            last = Outcome.UPDATED;
        } catch (ExperimentConfig.InvalidExperiments e) {
            last = Outcome.INVALID;
            LOG.error("experiments: the deployed definitions are invalid and were ignored ({}); serving the last good ones",
                    String.join("; ", e.problems()));
        }
    }
}
