package dev.glint.logging;

import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes one JSON object per line, in the shape of Powertools' {@code LambdaJsonLayout}: level,
 * message, logger, error (message, name, stack), the Lambda fields Powertools keeps in the MDC
 * ({@code cold_start}, {@code function_name}, {@code function_request_id}, ...), timestamp,
 * {@code xray_trace_id}, {@code correlation_id}, then any other MDC entries and key-value pairs.
 * Lines go to standard output (CloudWatch Logs on Lambda), or to the file named by the
 * {@code glint.log.file} system property (the functions' unit tests keep their logs out of the build output).
 */
final class JsonLogWriter {

    static final String FILE_PROPERTY = "glint.log.file";

    /** Powertools' fields, in the layout's order; these come first and typed. */
    private static final List<String> LAMBDA_FIELDS = List.of("cold_start", "function_arn", "function_memory_size",
            "function_name", "function_request_id", "function_version", "sampling_rate", "service");
    private static final Set<String> BOOLEAN_FIELDS = Set.of("cold_start");
    private static final Set<String> NUMBER_FIELDS = Set.of("function_memory_size", "sampling_rate");
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?[0-9]{1,18}(\\.[0-9]{1,18})?");
    private static final List<String> TRAILING_FIELDS = List.of("xray_trace_id", "correlation_id");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Supplier<MDCAdapter> mdc;
    private final PrintStream out;

    JsonLogWriter(Supplier<MDCAdapter> mdc, PrintStream out) {
        this.mdc = mdc;
        this.out = out;
    }

    /** Standard output, or the file the {@code glint.log.file} system property names (replaced once per JVM). */
    static PrintStream defaultOutput() {
        String file = System.getProperty(FILE_PROPERTY);
        if (file == null || file.isBlank()) {
            return System.out;
        }
        try {
            return new PrintStream(new FileOutputStream(file, false), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + file, e);
        }
    }

    void write(Level level, String logger, String message, Throwable error, List<KeyValuePair> pairs) {
        // A metric line in embedded metric format must be the whole log event for CloudWatch to read it.
        String line = isMetricLine(logger, message) ? message : format(level, logger, message, error, pairs, Instant.now());
        synchronized (out) {
            out.println(line);
        }
    }

    static boolean isMetricLine(String logger, String message) {
        return LogLevels.METRICS_LOGGER.equals(logger) && message != null && message.startsWith("{\"_aws\":")
                && message.indexOf('\n') < 0;
    }

    String format(Level level, String logger, String message, Throwable error, List<KeyValuePair> pairs, Instant at) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "level", level.name());
        field(json, "message", message == null ? "" : message);
        field(json, "logger", logger);
        if (error != null) {
            json.append(",\"error\":{");
            string(json.append("\"message\":"), String.valueOf(error.getMessage()));
            string(json.append(",\"name\":"), error.getClass().getName());
            StringWriter stack = new StringWriter();
            error.printStackTrace(new PrintWriter(stack));
            string(json.append(",\"stack\":"), stack.toString());
            json.append('}');
        }
        Map<String, String> context = mdc.get().getCopyOfContextMap();
        for (String name : LAMBDA_FIELDS) {
            typed(json, name, context == null ? null : context.get(name));
        }
        field(json, "timestamp", TIMESTAMP.format(at));
        for (String name : TRAILING_FIELDS) {
            typed(json, name, context == null ? null : context.get(name));
        }
        if (context != null) {
            context.forEach((name, value) -> {
                if (!LAMBDA_FIELDS.contains(name) && !TRAILING_FIELDS.contains(name) && !isReserved(name)) {
                    typed(json, name, value);
                }
            });
        }
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair.key != null && !isReserved(pair.key)) {
                    field(json, pair.key, String.valueOf(pair.value));
                }
            }
        }
        return json.append('}').toString();
    }

    private static boolean isReserved(String name) {
        return name.equals("level") || name.equals("message") || name.equals("logger") || name.equals("error")
                || name.equals("timestamp");
    }

    private static void typed(StringBuilder json, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (BOOLEAN_FIELDS.contains(name) && (value.equals("true") || value.equals("false"))) {
            string(json.append(','), name).append(':').append(value);
        } else if (NUMBER_FIELDS.contains(name) && isNumber(value)) {
            string(json.append(','), name).append(':').append(value);
        } else {
            field(json, name, value);
        }
    }

    private static boolean isNumber(String value) {
        return NUMBER.matcher(value).matches();
    }

    private static void field(StringBuilder json, String name, String value) {
        if (json.length() > 1) {
            json.append(',');
        }
        string(json, name).append(':');
        string(json, value);
    }

    /** Appends {@code value} as a JSON string. */
    static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        return json.append('"');
    }

    /** True if the surrogate at {@code i} is half of a well-formed pair (a lone half is escaped, not written raw). */
    private static boolean validSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }
}
