package dev.glint.shared.experiments;

import java.util.Arrays;

/**
 * A fixed, log-scaled latency histogram: bucket 0 holds requests under 1 ms, bucket {@code i} (1 to
 * {@link #BUCKETS} - 2) those from {@code 1.25^(i-1)} up to {@code 1.25^i} ms, and the last bucket
 * everything from about 44.4 s. The buckets are the same in every container and every stored rollup,
 * so histograms add by adding counts (a DynamoDB {@code ADD} per bucket), and any percentile is known
 * to within one bucket: at most 25 % high.
 */
public final class LatencyHistogram {

    /** How many buckets; stored as {@code guardrail:latency:00} to {@code guardrail:latency:49}. */
    public static final int BUCKETS = 50;
    /** Each bucket's upper bound is this times its lower bound. */
    public static final double GROWTH = 1.25;

    private final long[] counts;

    public LatencyHistogram() {
        this(new long[BUCKETS]);
    }

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    /** A histogram of these counts, one per bucket (missing buckets count 0). */
    public static LatencyHistogram of(long[] counts) {
        if (counts.length > BUCKETS) {
            throw new IllegalArgumentException("at most " + BUCKETS + " buckets, got " + counts.length);
        }
        return new LatencyHistogram(Arrays.copyOf(counts, BUCKETS));
    }

    /** The bucket a latency falls in. */
    public static int bucketOf(double millis) {
        if (!(millis >= 1)) {
            return 0;
        }
        int bucket = 1 + (int) Math.floor(Math.log(millis) / Math.log(GROWTH));
        // floating point can put an exact boundary one low; the boundary belongs to the bucket it opens
        if (bucket < BUCKETS - 1 && millis >= upperBound(bucket)) {
            bucket++;
        } else if (bucket > 1 && millis < lowerBound(bucket)) {
            bucket--;
        }
        return Math.min(bucket, BUCKETS - 1);
    }

    /** The least latency of the bucket, in ms. */
    public static double lowerBound(int bucket) {
        return bucket == 0 ? 0 : Math.pow(GROWTH, bucket - 1);
    }

    /** The latency the bucket stops below, in ms (infinite for the last). */
    public static double upperBound(int bucket) {
        return bucket >= BUCKETS - 1 ? Double.POSITIVE_INFINITY : Math.pow(GROWTH, bucket);
    }

    public void add(double millis) {
        counts[bucketOf(millis)]++;
    }

    public long count(int bucket) {
        return counts[bucket];
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public long[] counts() {
        return counts.clone();
    }

    /**
     * The bucket holding the {@code q} quantile: the first whose cumulative count reaches
     * {@code ceil(q · total)}; -1 when empty.
     */
    public int quantileBucket(double q) {
        long total = total();
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return BUCKETS - 1;
    }

    /**
     * The 95th percentile in ms, as the upper bound of its bucket (the true value is at most that and
     * at least 1/1.25 of it); the last bucket's lower bound when it falls there; null when empty.
     */
    public Double p95Millis() {
        int bucket = quantileBucket(0.95);
        if (bucket < 0) {
            return null;
        }
        return bucket == BUCKETS - 1 ? lowerBound(bucket) : upperBound(bucket);
    }

    /** Requests in buckets above this one: slower than its upper bound. */
    public long above(int bucket) {
        long n = 0;
        for (int i = bucket + 1; i < BUCKETS; i++) {
            n += counts[i];
        }
        return n;
    }
}
