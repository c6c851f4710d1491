package dev.glint.logging;

import org.slf4j.event.Level;

/**
 * Which events are written: INFO and above from Glint's own loggers ({@code dev.glint.*}), WARN and
 * above from libraries, unless a level is set for all of them: by {@code POWERTOOLS_LOG_LEVEL} (or
 * Lambda's {@code AWS_LAMBDA_LOG_LEVEL}) through Powertools, or by Powertools' debug sampling.
 */
final class LogLevels {

    static final String GLINT_PREFIX = "dev.glint";
    /**
     * The functions' metric lines (lambda-support's {@code VersionMetrics}): written at every level,
     * since a quieter log must not silence the signals the rollback alarms watch.
     */
    static final String METRICS_LOGGER = "dev.glint.metrics.emf";

    /** A level set for every logger, or null for the defaults. */
    private static volatile Level override;

    private LogLevels() {
    }

    static boolean enabled(String logger, Level level) {
        if (METRICS_LOGGER.equals(logger)) {
            return level.toInt() >= Level.INFO.toInt();
        }
        return level.toInt() >= threshold(logger).toInt();
    }

    static Level threshold(String logger) {
        Level set = override;
        if (set != null) {
            return set;
        }
        return logger.startsWith(GLINT_PREFIX) ? Level.INFO : Level.WARN;
    }

    static void set(Level level) {
        override = level;
    }
}
