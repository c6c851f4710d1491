package dev.glint.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per user, one limiter for writes ({@code PUT}, {@code POST}, {@code PATCH}, {@code DELETE}) and
 * one for reads ({@code GET}): each request takes a token, tokens come back at
 * {@code ratePerSecond} up to {@code burst}; a request with no token left is refused with 429 and
 * {@code Retry-After} before it reaches a use case, so it reads and changes nothing.
 *
 * <p>Why the buckets live in this container's memory and not in DynamoDB: a bucket in the table
 * would add a conditional write to every write (doubling its cost) and give every abusive client a
 * hot key of its own, in the very table the limit protects. In memory it costs nothing, but each
 * Lambda container keeps its own buckets, and one container serves one request at a time, so a
 * client that spreads its writes over {@code n} warm containers gets up to {@code n} times the rate.
 * Two limits bound that: the stage and route throttles the CDK app sets on the HTTP API (a ceiling
 * on requests per second for everyone) and the function's reserved concurrency (a ceiling on
 * {@code n}). Together: no single client can take more than {@code ratePerSecond × reserved
 * concurrency} writes a second, and in practice a client's sequential requests mostly land on the
 * same warm container and see the exact limit. If that bound ever proves too loose, the port to
 * swap is this class: a DynamoDB bucket per user with a conditional {@code UpdateItem}.
 *
 * <p>The map of buckets is bounded: the least recently used bucket is forgotten first, which can
 * only ever give a forgotten user a full bucket again, never refuse anyone wrongly.
 */
final class RateLimiter {

    /** A limit: {@link #WRITES} and {@link #READS} suit a person tapping a phone. */
    record Limits(double ratePerSecond, int burst) {
        static final Limits WRITES = new Limits(10, 30);
        /** A feed page can cost up to 22 DynamoDB requests: reads are bounded too, more loosely. */
        static final Limits READS = new Limits(25, 100);

        Limits {
            if (!(ratePerSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
            }
        }
    }

    static final int MAX_USERS = 50_000;

    private final Limits limits;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_USERS;
        }
    };

    RateLimiter(Limits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    RateLimiter(Limits limits) {
        this(limits, System::nanoTime);
    }

    /**
     * Takes a token from the user's bucket.
     *
     * @return empty if the write may go ahead, otherwise the whole seconds to wait before retrying (at least 1)
     */
    synchronized OptionalLong acquire(String userId) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(userId, id -> new Bucket(limits.burst(), now));
        double refilled = (now - bucket.at) / 1e9 * limits.ratePerSecond();
        bucket.tokens = Math.min(limits.burst(), bucket.tokens + Math.max(0, refilled));
        bucket.at = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return OptionalLong.empty();
        }
        double wait = (1 - bucket.tokens) / limits.ratePerSecond();
        return OptionalLong.of(Math.max(1, (long) Math.ceil(wait)));
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
