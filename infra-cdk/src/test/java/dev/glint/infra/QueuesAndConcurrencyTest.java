package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A work queue hides a received message for at least six times its consumer's timeout, as AWS
 * advises for Lambda event sources; the api has reserved concurrency in beta and prod, and the
 * fan-out worker (the table's heaviest writer) exactly as much as its event source may use.
 */
class QueuesAndConcurrencyTest {

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void everyWorkQueueHidesAMessageSixTimesItsConsumersTimeout(String stage) {
        Template template = template(stage);
        for (var queue : GlintResources.QUEUES) {
            FunctionSpec consumer = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(queue.consumerFunction()))
                    .findFirst().orElseThrow();
            // The timeout as deployed, read from the template, not from the description.
            int timeout = ((Number) properties(template, Templates.functionId(template, consumer)).get("Timeout")).intValue();
            template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                    "VisibilityTimeout", queue.visibilityTimeoutSeconds(),
                    "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", queue.maxReceiveCount()))));
            assertTrue(queue.visibilityTimeoutSeconds() >= GlintResources.VISIBILITY_TIMEOUT_FACTOR * timeout,
                    queue.logicalName() + ": visibility " + queue.visibilityTimeoutSeconds() + " s for a " + timeout + " s consumer");
        }
        assertEquals(600, GlintResources.MEDIA_QUEUE.visibilityTimeoutSeconds());
        assertEquals(300, GlintResources.FANOUT_QUEUE.visibilityTimeoutSeconds());
        assertEquals(5, GlintResources.MEDIA_QUEUE.maxReceiveCount());
        assertEquals(5, GlintResources.FANOUT_QUEUE.maxReceiveCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void theApiAndTheFanoutWorkerHaveReservedConcurrencyInBetaAndProd(String stage) {
        Template template = template(stage);
        assertEquals(StageSettings.forStage(stage).apiReservedConcurrency(), reserved(template, GlintResources.API_FUNCTION));
        assertEquals(stage.equals("prod") ? 200 : 20, reserved(template, GlintResources.API_FUNCTION));
        // Never less than the event source may use: a poller throttled by its own function counts receives for nothing.
        assertEquals(GlintFunctions.WORKER_MAX_CONCURRENCY, reserved(template, GlintResources.FANOUT_WORKER_FUNCTION));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(Templates.logicalId(template, "AWS::SQS::Queue", Map.of(
                        "VisibilityTimeout", GlintResources.FANOUT_QUEUE.visibilityTimeoutSeconds(),
                        "RedrivePolicy", Match.anyValue())), "Arn")),
                "ScalingConfig", Map.of("MaximumConcurrency", GlintFunctions.WORKER_MAX_CONCURRENCY)));
        assertEquals(null, reserved(template, GlintResources.MEDIA_WORKER_FUNCTION));
        assertEquals(null, reserved(template, GlintResources.STREAM_PROCESSOR_FUNCTION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "sandbox-alice"})
    void devAndSandboxesReserveNothing(String stage) {
        Template template = template(stage);
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            assertEquals(null, reserved(template, spec), spec.name());
        }
    }

    private static Integer reserved(Template template, FunctionSpec spec) {
        Object value = properties(template, Templates.functionId(template, spec)).get("ReservedConcurrentExecutions");
        return value == null ? null : ((Number) value).intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Template template, String id) {
        return (Map<String, Object>) Templates.resource(template, id).get("Properties");
    }
}
