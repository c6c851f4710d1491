package dev.glint.shared.reports;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperLogLogTest {

    private static HyperLogLog of(String prefix, int count) {
        HyperLogLog sketch = new HyperLogLog();
        for (int i = 0; i < count; i++) {
            sketch.add(prefix + i);
        }
        return sketch;
    }

    private static void assertWithin(double tolerance, long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected * tolerance, "estimate " + actual + " for " + expected);
    }

    @Test
    void estimatesDistinctCountsWithinAFewPercent() {
        assertEquals(0, new HyperLogLog().estimate());
        assertWithin(0.02, 10, of("u", 10).estimate());
        assertWithin(0.05, 1_000, of("u", 1_000).estimate());
        assertWithin(0.05, 100_000, of("u", 100_000).estimate());
    }

    @Test
    void addingOrMergingAgainChangesNothing() {
        HyperLogLog sketch = of("u", 5_000);
        HyperLogLog again = HyperLogLog.of(sketch.registers());
        for (int i = 0; i < 5_000; i++) {
            again.add("u" + i);
        }
        again.merge(sketch);
        assertEquals(sketch, again);
    }

    @Test
    void mergingTwoDaysEstimatesTheirUnion() {
        HyperLogLog monday = of("u", 6_000);
        HyperLogLog tuesday = new HyperLogLog();
        for (int i = 3_000; i < 9_000; i++) {
            tuesday.add("u" + i);
        }
        monday.merge(tuesday);
        assertWithin(0.05, 9_000, monday.estimate());
    }
}
