package dev.glint.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of a sample (no interpolation: a reported figure is always one that was measured). */
final class Stats {

    private Stats() {
    }

    static double median(Collection<? extends Number> values) {
        return percentile(values, 50);
    }

    static double percentile(Collection<? extends Number> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(sorted);
        return percentile(sorted, p);
    }

    /** Nearest-rank percentile of an already sorted array. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double min(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }

    static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }
}
