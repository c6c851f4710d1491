package dev.glint.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** One named logger: checks the level, then hands the event to the {@link JsonLogWriter}. */
final class JsonLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private static final long serialVersionUID = 1L;

    private final transient JsonLogWriter writer;

    JsonLogger(String name, JsonLogWriter writer) {
        this.name = name;
        this.writer = writer;
    }

    @Override
    public boolean isTraceEnabled() {
        return LogLevels.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogLevels.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogLevels.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogLevels.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogLevels.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        writer.write(level, name, MessageFormatter.basicArrayFormat(pattern, arguments), throwable, null);
    }

    /** The fluent API ({@code atInfo().addKeyValue(...)}): its key-value pairs become fields of their own. */
    @Override
    public void log(LoggingEvent event) {
        if (!LogLevels.enabled(name, event.getLevel())) {
            return;
        }
        Object[] arguments = event.getArgumentArray();
        writer.write(event.getLevel(), name, MessageFormatter.basicArrayFormat(event.getMessage(), arguments),
                event.getThrowable(), event.getKeyValuePairs());
    }
}
