package dev.glint.logging;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.internal.BufferManager;
import software.amazon.lambda.powertools.logging.internal.LoggingManager;

/**
 * Lets Powertools set the level, as it does with its Log4j and Logback backends: from
 * {@code POWERTOOLS_LOG_LEVEL} or {@code AWS_LAMBDA_LOG_LEVEL} at start, and for its debug sampling
 * ({@code POWERTOOLS_LOGGER_SAMPLE_RATE}). Found through {@code META-INF/services}. Nothing is
 * buffered, so flushing and clearing the buffer do nothing.
 *
 * <p>{@code LoggingManager} is in a Powertools {@code internal} package; the version is pinned in the
 * root pom, and {@code PowertoolsLevelsTest} fails if Powertools stops finding this class.
 */
public final class PowertoolsLevels implements LoggingManager, BufferManager {

    @Override
    public void setLogLevel(Level level) {
        LogLevels.set(level);
    }

    @Override
    public Level getLogLevel(Logger logger) {
        return LogLevels.threshold(logger == null ? "" : logger.getName());
    }

    @Override
    public void flushBuffer() {
        // Nothing is buffered.
    }

    @Override
    public void clearBuffer() {
        // Nothing is buffered.
    }
}
