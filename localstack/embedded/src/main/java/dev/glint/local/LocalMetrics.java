package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.glint.lambda.VersionMetrics;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What CloudWatch would make of the functions' embedded metric format lines, for one local stack:
 * the functions write their per-version signals ({@link VersionMetrics}) to their log as they do on
 * Lambda, and this store reads the same lines back and keeps each metric's values by namespace,
 * name and dimensions, so a test sees the metric a rollback alarm watches move.
 *
 * <p>The functions of several stacks may run in one JVM (tests): a line belongs to the stack whose
 * handler was running on the thread that wrote it ({@link #scope}).
 */
public final class LocalMetrics implements dev.glint.local.canary.MetricSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadLocal<LocalMetrics> CURRENT = new ThreadLocal<>();
    private static final Object INSTALL = new Object();
    private static volatile boolean installed;

    private final Map<Key, List<Double>> values = new ConcurrentHashMap<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<Key, List<Sample>> samples = new ConcurrentHashMap<>();

    /** One metric: its namespace, name and dimensions (sorted by name). */
    public record Key(String namespace, String name, Map<String, String> dimensions) {
        public Key {
            dimensions = Map.copyOf(new TreeMap<>(dimensions));
        }
    }

    LocalMetrics() {
        install();
    }

    /** Every value recorded for the metric, in the order the lines were written. */
    public List<Double> values(String namespace, String name, Map<String, String> dimensions) {
        return List.copyOf(values.getOrDefault(new Key(namespace, name, dimensions), List.of()));
    }

    /** The metric's {@code Sum} over everything recorded so far. */
    public double sum(String namespace, String name, Map<String, String> dimensions) {
        return values(namespace, name, dimensions).stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * The values recorded for the metric in {@code [fromMillis, toMillis)}, by the time the line gave
     * ({@code _aws.Timestamp}, as CloudWatch files a value), for the rehearsal's alarms.
     */
    @Override
    public List<Sample> samples(String namespace, String name, Map<String, String> dimensions, long fromMillis, long toMillis) {
        return samples.getOrDefault(new Key(namespace, name, dimensions), List.of()).stream()
                .filter(s -> s.timestampMillis() >= fromMillis && s.timestampMillis() < toMillis).toList();
    }

    /**
     * Records one value the way Lambda's own metrics arrive ({@code AWS/Lambda} {@code Errors} and
     * {@code Duration} of an invocation): the local runtime that invoked the function writes them, not the function.
     */
    public void record(String namespace, String name, Map<String, String> dimensions, long timestampMillis, double value) {
        Key key = new Key(namespace, name, dimensions);
        values.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(value);
        samples.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new Sample(timestampMillis, value));
    }

    /** The metrics recorded so far. */
    public List<Key> keys() {
        return List.copyOf(values.keySet());
    }

    /** The lines read, as the functions wrote them. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Wraps a function's handler so that the metric lines it writes while it runs are this stack's. */
    <I, O> RequestHandler<I, O> scope(RequestHandler<I, O> handler) {
        return (I input, Context context) -> {
            LocalMetrics outer = CURRENT.get();
            CURRENT.set(this);
            try {
                return handler.handleRequest(input, context);
            } finally {
                if (outer == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(outer);
                }
            }
        };
    }

    /**
     * Reads one EMF document as CloudWatch Logs does: for each metric directive, each dimension set
     * and each metric, the value (a number or an array of numbers) and the dimension values from the
     * document's top level. A line that is not EMF is ignored, as CloudWatch leaves it a plain log event.
     */
    public void accept(String line) {
        JsonNode doc;
        try {
            doc = JSON.readTree(line);
        } catch (Exception e) {
            return;
        }
        JsonNode directives = doc == null ? null : doc.path("_aws").path("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            return;
        }
        lines.add(line);
        long timestamp = doc.path("_aws").path("Timestamp").asLong(System.currentTimeMillis());
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText();
            for (JsonNode set : directive.path("Dimensions")) {
                Map<String, String> dimensions = new TreeMap<>();
                for (JsonNode dimension : set) {
                    dimensions.put(dimension.asText(), doc.path(dimension.asText()).asText());
                }
                for (JsonNode metric : directive.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    JsonNode value = doc.path(name);
                    Key key = new Key(namespace, name, dimensions);
                    List<Double> list = values.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
                    List<Sample> timed = samples.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
                    if (value.isArray()) {
                        value.forEach(v -> {
                            list.add(v.asDouble());
                            timed.add(new Sample(timestamp, v.asDouble()));
                        });
                    } else if (value.isNumber()) {
                        list.add(value.asDouble());
                        timed.add(new Sample(timestamp, value.asDouble()));
                    }
                }
            }
        }
    }

    /** Adds, once per JVM, an appender to the metrics logger that hands each line to the running stack's store. */
    private static void install() {
        if (installed) {
            return;
        }
        synchronized (INSTALL) {
            if (installed) {
                return;
            }
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                throw new IllegalStateException("the local stack reads the functions' metric lines through Log4j");
            }
            Configuration config = context.getConfiguration();
            AbstractAppender appender = new AbstractAppender("GlintLocalMetrics", null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    LocalMetrics store = CURRENT.get();
                    if (store != null) {
                        store.accept(event.getMessage().getFormattedMessage());
                    }
                }
            };
            appender.start();
            config.addAppender(appender);
            LoggerConfig logger = config.getLoggerConfig(VersionMetrics.LOGGER);
            if (!logger.getName().equals(VersionMetrics.LOGGER)) {
                // Not printed with the stack's log: a JSON line per request would drown it.
                logger = new LoggerConfig(VersionMetrics.LOGGER, Level.INFO, false);
                config.addLogger(VersionMetrics.LOGGER, logger);
            }
            logger.addAppender(appender, Level.INFO, null);
            context.updateLoggers();
            installed = true;
        }
    }
}
