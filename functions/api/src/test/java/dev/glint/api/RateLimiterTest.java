package dev.glint.api;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void aUserMayWriteTheBurstAtOnceAndThenIsToldHowLongToWait() {
        var limiter = new RateLimiter(new RateLimiter.Limits(2, 5), now::get);

        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.acquire("alice").isEmpty(), "write " + i + " of the burst");
        }
        assertEquals(OptionalLong.of(1), limiter.acquire("alice"));
    }

    @Test
    void tokensComeBackAtTheRateAndNeverAboveTheBurst() {
        var limiter = new RateLimiter(new RateLimiter.Limits(2, 3), now::get);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("alice");
        }
        assertTrue(limiter.acquire("alice").isPresent());

        now.addAndGet(SECOND / 2); // one token back at 2 a second
        assertTrue(limiter.acquire("alice").isEmpty());
        assertTrue(limiter.acquire("alice").isPresent());

        now.addAndGet(3600 * SECOND); // an hour idle refills to the burst, not beyond it
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("alice").isEmpty());
        }
        assertTrue(limiter.acquire("alice").isPresent());
    }

    @Test
    void oneUsersBurstLeavesEveryoneElsesBucketFull() {
        var limiter = new RateLimiter(new RateLimiter.Limits(1, 2), now::get);
        limiter.acquire("mallory");
        limiter.acquire("mallory");
        assertTrue(limiter.acquire("mallory").isPresent());

        assertTrue(limiter.acquire("alice").isEmpty());
        assertTrue(limiter.acquire("alice").isEmpty());
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilTheNextToken() {
        var limiter = new RateLimiter(new RateLimiter.Limits(0.1, 1), now::get);
        limiter.acquire("alice");

        assertEquals(OptionalLong.of(10), limiter.acquire("alice"));
        now.addAndGet(SECOND * 4);
        assertEquals(OptionalLong.of(6), limiter.acquire("alice"));
    }

    @Test
    void limitsNeedAPositiveRateAndBurst() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limits(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limits(Double.NaN, 5));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limits(1, 0));
    }
}
