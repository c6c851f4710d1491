package dev.glint.shared.experiments;

import dev.glint.shared.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CachedExperimentSourceTest {

    private static final String A = config("a");
    private static final String B = config("b");

    private static String config(String id) {
        return "{\"experiments\":[{\"id\":\"" + id + "\",\"surface\":\"feed\",\"variants\":[{\"name\":\"c\",\"weight\":1},"
                + "{\"name\":\"t\",\"weight\":1}],\"control\":\"c\",\"metrics\":[\"likes\"],"
                + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"}]}";
    }

    /** Answers the queued results in order; counts its polls. */
    private static final class Script implements CachedExperimentSource.Poller {
        final Deque<Supplier<Optional<String>>> answers = new ArrayDeque<>();
        int polls;

        Script then(Supplier<Optional<String>> answer) {
            answers.add(answer);
            return this;
        }

        @Override
        public Optional<String> poll() {
            polls++;
            return answers.isEmpty() ? Optional.empty() : answers.poll().get();
        }
    }

    private static Optional<String> fail() {
        throw new IllegalStateException("AppConfig is down");
    }

    @Test
    void aColdStartServesTheStoreAndPollsAtMostOncePerInterval() {
        var clock = new MutableClock(Instant.parse("2026-01-10T00:00:00Z"));
        var script = new Script().then(() -> Optional.of(A)).then(() -> Optional.of(B));
        var source = new CachedExperimentSource(ExperimentConfig.none(), script, Duration.ofSeconds(30), clock);
        assertEquals("a", source.current().experiments().get(0).id());
        clock.advance(Duration.ofSeconds(29));
        assertEquals("a", source.current().experiments().get(0).id());
        assertEquals(1, script.polls);
        clock.advance(Duration.ofSeconds(1));
        assertEquals("b", source.current().experiments().get(0).id());
        assertEquals(2, script.polls);
        assertEquals(CachedExperimentSource.Outcome.UPDATED, source.lastOutcome());
    }

    @Test
    void unchangedKeepsWhatItHas() {
        var clock = new MutableClock(Instant.parse("2026-01-10T00:00:00Z"));
        var script = new Script().then(() -> Optional.of(A)).then(Optional::empty);
        var source = new CachedExperimentSource(ExperimentConfig.none(), script, Duration.ofSeconds(30), clock);
        ExperimentConfig first = source.current();
        clock.advance(Duration.ofSeconds(31));
        assertSame(first, source.current());
        assertEquals(CachedExperimentSource.Outcome.UNCHANGED, source.lastOutcome());
    }

    @Test
    void aFailingStoreLeavesTheLastGoodDefinitionsAndIsAskedAgainNextInterval() {
        var clock = new MutableClock(Instant.parse("2026-01-10T00:00:00Z"));
        var script = new Script().then(() -> Optional.of(A)).then(CachedExperimentSourceTest::fail)
                .then(() -> Optional.of(B));
        var source = new CachedExperimentSource(ExperimentConfig.none(), script, Duration.ofSeconds(30), clock);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("a", source.current().experiments().get(0).id());
        assertEquals(CachedExperimentSource.Outcome.FAILED, source.lastOutcome());
        clock.advance(Duration.ofSeconds(30));
        assertEquals("b", source.current().experiments().get(0).id());
    }

    @Test
    void aColdStartWithoutTheStoreServesTheFallback() {
        var fallback = ExperimentConfig.parse(A);
        var source = new CachedExperimentSource(fallback, new Script().then(CachedExperimentSourceTest::fail),
                Duration.ofSeconds(30), new MutableClock(Instant.parse("2026-01-10T00:00:00Z")));
        assertSame(fallback, source.current());
        assertEquals(CachedExperimentSource.Outcome.FAILED, source.lastOutcome());
    }

    @Test
    void invalidContentNeverReplacesValid() {
        var clock = new MutableClock(Instant.parse("2026-01-10T00:00:00Z"));
        var script = new Script().then(() -> Optional.of(A)).then(() -> Optional.of("{\"experiments\": [{\"id\": \"BAD\"}]}"))
                .then(() -> Optional.of("not json")).then(Optional::empty);
        var source = new CachedExperimentSource(ExperimentConfig.none(), script, Duration.ofSeconds(30), clock);
        ExperimentConfig good = source.current();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(30));
            assertSame(good, source.current());
        }
        assertEquals(4, script.polls);
    }
}
