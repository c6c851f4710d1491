package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The failure signals of one function version, as CloudWatch embedded metric format (EMF) lines
 * written through the function's log: CloudWatch Logs turns each line into metric values, so
 * publishing costs no call and no time in the invocation. The rollback alarms of the version's
 * deployment watch these metrics (infra-cdk {@code GlintAlarms}), so a canary sees what its users see:
 * the api's 5xx answers and latency, the workers' failed items, the stream processor's failed records.
 *
 * <p>Every line is in namespace {@link #NAMESPACE} with the dimensions {@code FunctionName} and
 * {@code FunctionVersion}, the version the invocation ran (Lambda's context; an alias is resolved
 * to its version before the function runs).
 */
public final class VersionMetrics {

    /** Where every Glint metric lives. */
    public static final String NAMESPACE = "Glint";
    public static final String DIMENSION_FUNCTION = "FunctionName";
    public static final String DIMENSION_VERSION = "FunctionVersion";
    /**
     * The logger the lines go to. The functions' log backend writes its messages as they are (an EMF
     * line must be the whole log event) and at every log level; the local stack reads them back.
     */
    public static final String LOGGER = "dev.glint.metrics.emf";

    /** api: requests answered, of them 5xx, and the time the handler took. */
    public static final String REQUESTS = "Requests";
    public static final String SERVER_ERRORS = "ServerErrors";
    public static final String LATENCY = "Latency";
    /** Workers: messages of a batch that failed (each is delivered again, or ends in the dead-letter queue). */
    public static final String FAILED_ITEMS = "FailedItems";
    /** Stream processor: records it could not apply (the batch is retried from the first). */
    public static final String FAILED_RECORDS = "FailedRecords";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final Consumer<String> out;
    private final LongSupplier clock;

    /** Lines to the function's log. */
    public VersionMetrics() {
        this(LOG::info, System::currentTimeMillis);
    }

    VersionMetrics(Consumer<String> out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
    }

    /** One api request: counted, a 5xx counted as a server error, its latency. */
    public void request(Context context, int status, double latencyMillis) {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put(REQUESTS, 1);
        values.put(SERVER_ERRORS, status >= 500 ? 1 : 0);
        values.put(LATENCY, Math.round(latencyMillis * 100) / 100.0);
        emit(context, values);
    }

    /** A worker batch with {@code failed} messages reported failed; nothing is written when none failed. */
    public void failedItems(Context context, int failed) {
        if (failed > 0) {
            emit(context, Map.of(FAILED_ITEMS, failed));
        }
    }

    /** A stream batch with {@code failed} records the processor could not apply; nothing when none failed. */
    public void failedRecords(Context context, int failed) {
        if (failed > 0) {
            emit(context, Map.of(FAILED_RECORDS, failed));
        }
    }

    private void emit(Context context, Map<String, Number> values) {
        out.accept(line(functionName(context), functionVersion(context), clock.getAsLong(), values));
    }

    /** The EMF document: {@code _aws} metadata, then the dimension and metric values at the top level. */
    static String line(String function, String version, long timestamp, Map<String, Number> values) {
        StringBuilder json = new StringBuilder(320);
        json.append("{\"_aws\":{\"Timestamp\":").append(timestamp).append(",\"CloudWatchMetrics\":[{\"Namespace\":\"")
                .append(NAMESPACE).append("\",\"Dimensions\":[[\"").append(DIMENSION_FUNCTION).append("\",\"")
                .append(DIMENSION_VERSION).append("\"]],\"Metrics\":[");
        boolean first = true;
        for (String name : values.keySet()) {
            json.append(first ? "" : ",").append("{\"Name\":\"").append(name).append("\",\"Unit\":\"")
                    .append(name.equals(LATENCY) ? "Milliseconds" : "Count").append("\"}");
            first = false;
        }
        json.append("]}]},\"").append(DIMENSION_FUNCTION).append("\":");
        string(json, function);
        json.append(",\"").append(DIMENSION_VERSION).append("\":");
        string(json, version);
        values.forEach((name, value) -> json.append(",\"").append(name).append("\":").append(value));
        return json.append('}').toString();
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    private static String functionName(Context context) {
        String name = context == null ? null : context.getFunctionName();
        return name != null ? name : env("AWS_LAMBDA_FUNCTION_NAME", "unknown");
    }

    private static String functionVersion(Context context) {
        String version = context == null ? null : context.getFunctionVersion();
        return version != null ? version : env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
