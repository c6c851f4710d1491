package dev.glint.local.canary;

import java.util.List;
import java.util.Map;

/** Where an alarm reads its metric's values: every sample recorded in a time range, as CloudWatch keeps them. */
public interface MetricSource {

    /** One value of a metric and when it was recorded (epoch milliseconds). */
    record Sample(long timestampMillis, double value) {
    }

    /** The samples of the metric recorded in {@code [fromMillis, toMillis)}. */
    List<Sample> samples(String namespace, String name, Map<String, String> dimensions, long fromMillis, long toMillis);
}
