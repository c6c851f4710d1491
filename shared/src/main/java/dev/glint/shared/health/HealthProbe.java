package dev.glint.shared.health;

/** Checks that one backing component (table, bucket, queue) answers. */
public interface HealthProbe {

    /** A short, stable name for the component, e.g. {@code "table"}. */
    String component();

    /** Probes the component; never throws. */
    Result check();

    /** What one probe found. {@code detail} is safe to show to callers (no library messages). */
    record Result(boolean healthy, long latencyMillis, String detail) {
    }
}
