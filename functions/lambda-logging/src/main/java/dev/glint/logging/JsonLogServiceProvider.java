package dev.glint.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The functions' SLF4J backend, found through {@code META-INF/services}: JSON lines on standard
 * output with Powertools' Lambda fields. It loads about 30 classes where Log4j with its JSON template
 * layout loaded about 900, which took 450 to 700 ms of every cold start (measured with
 * {@code ./glint bench coldstart}).
 */
public final class JsonLogServiceProvider implements SLF4JServiceProvider {

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private volatile JsonLogWriter writer;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return name -> loggers.computeIfAbsent(name, n -> new JsonLogger(n, writer));
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // SLF4J calls this once, before any logger is asked for. Levels come from Powertools
        // (POWERTOOLS_LOG_LEVEL) through PowertoolsLevels.
        writer = new JsonLogWriter(() -> mdc, JsonLogWriter.defaultOutput());
    }
}
