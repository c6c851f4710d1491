package dev.glint.local.canary;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch's statistics over one period's samples: {@code Sum}, {@code SampleCount}, {@code Average},
 * {@code Minimum}, {@code Maximum} and percentiles {@code pNN} / {@code pNN.NN} (nearest rank over the
 * raw samples; CloudWatch approximates percentiles, which the alarm's thresholds are far from). Any other
 * statistic (trimmed means, {@code IQM}, ...) is refused, never guessed.
 */
final class Statistics {

    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,10})?|100)");

    private Statistics() {
    }

    static void check(String alarm, String stat) {
        switch (stat) {
            case "Sum", "SampleCount", "Average", "Minimum", "Maximum" -> {
            }
            default -> {
                if (!PERCENTILE.matcher(stat).matches()) {
                    throw new UnsupportedAlarm(alarm + ": the statistic " + stat + " is not evaluated locally");
                }
            }
        }
    }

    /** The statistic of the samples, or null (a missing datapoint) when there are none. */
    static Double of(String stat, List<Double> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        double[] values = samples.stream().mapToDouble(Double::doubleValue).toArray();
        return switch (stat) {
            case "Sum" -> Arrays.stream(values).sum();
            case "SampleCount" -> (double) values.length;
            case "Average" -> Arrays.stream(values).average().orElseThrow();
            case "Minimum" -> Arrays.stream(values).min().orElseThrow();
            case "Maximum" -> Arrays.stream(values).max().orElseThrow();
            default -> {
                Matcher m = PERCENTILE.matcher(stat);
                if (!m.matches()) {
                    throw new UnsupportedAlarm("the statistic " + stat + " is not evaluated locally");
                }
                yield percentile(values, Double.parseDouble(m.group(1)));
            }
        };
    }

    /** Nearest rank: the smallest sample with at least {@code p} % of the samples at or below it. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
