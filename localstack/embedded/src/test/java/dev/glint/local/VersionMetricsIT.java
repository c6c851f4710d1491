package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local stack keeps the per-version metrics the functions write as embedded metric format lines,
 * under the namespace, names and dimensions the rollback alarms watch ({@code events/metrics/rollback-signals.json},
 * which infra-cdk's {@code CanarySignalsTest} holds the synthesized templates to): an api answer of 500
 * from a broken dependency, a worker's failed message and a record the stream processor cannot apply
 * each move the metric their deployment's rollback alarm reads.
 */
class VersionMetricsIT {

    private static final Path SIGNALS = Path.of(System.getProperty("glint.events.dir", "../../events"), "metrics", "rollback-signals.json");
    /** What the local stack's Lambda context reports: it runs the functions' code as {@code $LATEST}. */
    private static final String VERSION = "$LATEST";

    private static final AtomicBoolean API_TABLE_DOWN = new AtomicBoolean();
    private static final AtomicBoolean STREAM_TABLE_DOWN = new AtomicBoolean();

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    /** The table, as the given function sees it: down while the flag is set. */
    private static ExecutionInterceptor tableDown(AtomicBoolean down) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (down.get() && context.request().getClass().getName().contains(".dynamodb.")) {
                    throw new IllegalStateException("the table is unreachable (injected by the test)");
                }
            }
        };
    }

    @Test
    void aServerErrorAFailedMessageAndAFailedRecordEachMoveTheMetricTheirRollbackAlarmWatches() throws Exception {
        JsonNode file = new ObjectMapper().readTree(SIGNALS.toFile());
        String namespace = file.get("namespace").asText();
        assertEquals("[\"FunctionName\",\"FunctionVersion\"]", file.get("dimensions").toString());
        try (EmbeddedStack stack = STACKS.start(options -> options.withVisibilityTimeout(1)
                .withFunctionInterceptor(GlintResources.API_FUNCTION.name(), tableDown(API_TABLE_DOWN))
                .withFunctionInterceptor(GlintResources.STREAM_PROCESSOR_FUNCTION.name(), tableDown(STREAM_TABLE_DOWN)))) {
            LocalMetrics metrics = stack.metrics();
            ApiClient api = new ApiClient(stack.apiEndpoint());
            Map<String, String> apiVersion = dimensions(GlintResources.API_FUNCTION.name());

            // A healthy answer is a request, not a server error.
            assertEquals(200, api.json("PUT", "alice", "/v1/me", Map.of("handle", "alice", "displayName", "Alice")).status());
            assertEquals(0.0, metrics.sum(namespace, "ServerErrors", apiVersion));
            assertEquals(1.0, metrics.sum(namespace, "Requests", apiVersion));

            // The handler catches the failure and answers 500: no invocation error, but a server error of this version.
            API_TABLE_DOWN.set(true);
            assertEquals(500, api.get("alice", "/v1/me").status());
            API_TABLE_DOWN.set(false);
            assertEquals(1.0, metrics.sum(namespace, "ServerErrors", apiVersion));
            assertEquals(2.0, metrics.sum(namespace, "Requests", apiVersion));
            assertEquals(2, metrics.values(namespace, "Latency", apiVersion).size());

            // A message the media worker cannot read is reported failed (and retried): a failed item of its version.
            var sqs = stack.clients().sqs();
            sqs.sendMessage(r -> r.queueUrl(stack.queueUrl(GlintResources.MEDIA_QUEUE.logicalName()))
                    .messageBody("{\"type\":\"media.process\",\"v\":99}"));
            Map<String, String> mediaVersion = dimensions(GlintResources.MEDIA_WORKER_FUNCTION.name());
            await(() -> metrics.sum(namespace, "FailedItems", mediaVersion) >= 1, "the media worker's failed item");

            // So is a fan-out message.
            sqs.sendMessage(r -> r.queueUrl(stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName()))
                    .messageBody("{\"type\":\"feed.fanout\",\"v\":99}"));
            Map<String, String> fanoutVersion = dimensions(GlintResources.FANOUT_WORKER_FUNCTION.name());
            await(() -> metrics.sum(namespace, "FailedItems", fanoutVersion) >= 1, "the fan-out worker's failed item");

            // A change the stream processor cannot apply while the table is down for it.
            STREAM_TABLE_DOWN.set(true);
            Map<String, String> streamVersion = dimensions(GlintResources.STREAM_PROCESSOR_FUNCTION.name());
            try {
                assertEquals(200, api.json("PUT", "bob", "/v1/me", Map.of("handle", "bob", "displayName", "Bob")).status());
                await(() -> metrics.sum(namespace, "FailedRecords", streamVersion) >= 1, "the stream processor's failed record");
            } finally {
                STREAM_TABLE_DOWN.set(false);
            }

            // Every signal an alarm watches was written under the alarm's namespace, name and dimensions.
            for (JsonNode signal : file.get("signals")) {
                var values = metrics.values(namespace, signal.get("metric").asText(), dimensions(signal.get("function").asText()));
                assertTrue(!values.isEmpty(), "no " + signal + " in " + metrics.keys());
            }
        }
    }

    private static Map<String, String> dimensions(String function) {
        return Map.of("FunctionName", function, "FunctionVersion", VERSION);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " was never counted");
            Thread.sleep(200);
        }
    }
}
