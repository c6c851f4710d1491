package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void bucketsAreLogScaledAndEachBoundaryOpensTheNextBucket() {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(0, LatencyHistogram.bucketOf(0.99));
        assertEquals(1, LatencyHistogram.bucketOf(1));
        assertEquals(1, LatencyHistogram.bucketOf(1.24));
        assertEquals(2, LatencyHistogram.bucketOf(1.25));
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(1e9));
        for (int b = 1; b < LatencyHistogram.BUCKETS - 1; b++) {
            double low = LatencyHistogram.lowerBound(b);
            assertEquals(b, LatencyHistogram.bucketOf(low), "lower bound of " + b);
            assertEquals(b, LatencyHistogram.bucketOf(Math.nextDown(LatencyHistogram.upperBound(b))), "just under the top of " + b);
            assertEquals(LatencyHistogram.GROWTH, LatencyHistogram.upperBound(b) / low, 1e-9);
        }
    }

    @Test
    void p95IsTheUpperBoundOfTheBucketHoldingThe95thPercentile() {
        LatencyHistogram h = new LatencyHistogram();
        assertNull(h.p95Millis());
        for (int i = 1; i <= 100; i++) {
            h.add(i); // 1..100 ms: the 95th is 95 ms
        }
        double p95 = h.p95Millis();
        assertTrue(p95 >= 95 && p95 <= 95 * LatencyHistogram.GROWTH, "p95 " + p95);
        assertEquals(LatencyHistogram.bucketOf(95), h.quantileBucket(0.95));
        assertEquals(100, h.total());
        // requests above the p95 bucket: those at or over its upper bound (at most 5)
        long above = h.above(h.quantileBucket(0.95));
        long slower = java.util.stream.IntStream.rangeClosed(1, 100).filter(ms -> ms >= p95).count();
        assertEquals(slower, above);
        assertTrue(above <= 5);
    }

    @Test
    void histogramsAddByTheirCounts() {
        LatencyHistogram a = new LatencyHistogram();
        a.add(3);
        a.add(300);
        long[] sum = a.counts();
        sum[LatencyHistogram.bucketOf(300)] += 2;
        LatencyHistogram b = LatencyHistogram.of(sum);
        assertEquals(4, b.total());
        assertEquals(3, b.count(LatencyHistogram.bucketOf(300)));
    }
}
