package dev.glint.infra;

import dev.glint.shared.aws.StreamFilter;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream processor's event source mapping carries exactly the settings the local poller
 * follows: a failing batch is bisected until the bad record is alone, retries are sized for that,
 * the function reports the record it failed on, and what is given up is described on the failure
 * queue. No record age limit, so good records never expire behind a bad one.
 */
class StreamEventSourceTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod", "sandbox-alice", "localstack"})
    void theStreamMappingBisectsOnErrorRetriesEnoughToIsolateARecordAndParksTheRestOnTheFailureQueue(String stage) {
        Template template = stage.equals("localstack")
                ? SynthesizedStages.localStack("dev").template()
                : SynthesizedStages.stage(stage).template();
        var consumer = GlintResources.STREAM_CONSUMER;
        // Enough retries to isolate one record of a full batch even if every split cost one.
        int halvings = 32 - Integer.numberOfLeadingZeros(consumer.batchSize() - 1);
        assertTrue(consumer.maxRetryAttempts() >= halvings, consumer.maxRetryAttempts() + " retries, " + halvings + " halvings");
        String failureQueue = failureQueue(template);
        String table = Templates.logicalId(template, "AWS::DynamoDB::Table", Map.of());
        String liveAlias = Templates.aliasId(template, GlintResources.STREAM_PROCESSOR_FUNCTION, GlintFunctions.LIVE_ALIAS);

        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1 + GlintResources.QUEUES.size());
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                // The live alias's ARN, which CDK writes as the function name followed by ":live".
                "FunctionName", Map.of("Fn::Join", List.of("", List.of(
                        Map.of("Fn::Select", List.of(6, Map.of("Fn::Split", List.of(":", Map.of("Ref", liveAlias))))),
                        ":" + GlintFunctions.LIVE_ALIAS))),
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(table, "StreamArn")),
                "StartingPosition", "TRIM_HORIZON",
                "BatchSize", consumer.batchSize(),
                "BisectBatchOnFunctionError", true,
                "MaximumRetryAttempts", consumer.maxRetryAttempts(),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "DestinationConfig", Map.of("OnFailure", Map.of(
                        "Destination", Map.of("Fn::GetAtt", List.of(failureQueue, "Arn")))),
                "MaximumRecordAgeInSeconds", Match.absent()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod", "localstack"})
    void onlyTheRecordsTheProcessorUsesInvokeIt(String stage) {
        Template template = stage.equals("localstack")
                ? SynthesizedStages.localStack("dev").template()
                : SynthesizedStages.stage(stage).template();
        // The very patterns the local stream poller filters with (shared StreamFilter), as written.
        List<Map<String, String>> filters = StreamFilter.patterns().stream().map(p -> Map.of("Pattern", p)).toList();
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("StreamArn")))),
                "FilterCriteria", Map.of("Filters", filters)));
    }

    /**
     * The unlike and unfollow guardrails count removals of like and follow items: the deployed mapping's
     * own patterns (read back from the template, not from the code) let those REMOVE records through,
     * and still keep out the removal of what nothing derives from (an experiment marker expiring).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    @SuppressWarnings("unchecked")
    void theDeployedFilterLetsRemovedLikesAndFollowsThroughForTheGuardrails(String stage) throws Exception {
        Template template = SynthesizedStages.stage(stage).template();
        Map<String, Map<String, Object>> mappings = template.findResources("AWS::Lambda::EventSourceMapping",
                Map.of("Properties", Match.objectLike(Map.of("FilterCriteria", Match.anyValue()))));
        assertEquals(1, mappings.size(), "one filtered mapping, the stream's: " + mappings.keySet());
        Map<String, Object> properties = (Map<String, Object>) mappings.values().iterator().next().get("Properties");
        List<Map<String, String>> filters = (List<Map<String, String>>) ((Map<String, Object>) properties.get("FilterCriteria"))
                .get("Filters");
        List<String> removed = new java.util.ArrayList<>();
        for (Map<String, String> filter : filters) {
            var pattern = dev.glint.shared.json.Json.readTree(filter.get("Pattern"));
            if (pattern.path("eventName").toString().equals("[\"REMOVE\"]")) {
                // a removed item's attributes are in its old image only
                pattern.path("dynamodb").path("OldImage").path("entity").path("S").forEach(e -> removed.add(e.asText()));
            }
        }
        assertTrue(removed.contains("like"), "a removed like reaches the processor: " + removed);
        assertTrue(removed.contains("follow"), "a removed follow reaches the processor: " + removed);
        assertTrue(!removed.contains("exposure"), "an expiring exposure marker does not: " + removed);
    }

    /** The one queue that is neither a work queue (it has no redrive policy) nor a work queue's dead-letter queue. */
    @SuppressWarnings("unchecked")
    private static String failureQueue(Template template) {
        Map<String, Map<String, Object>> queues = template.findResources("AWS::SQS::Queue");
        Set<String> candidates = new TreeSet<>(queues.keySet());
        queues.forEach((id, queue) -> {
            Map<String, Object> redrive = (Map<String, Object>) ((Map<String, Object>) queue.get("Properties")).get("RedrivePolicy");
            if (redrive != null) {
                candidates.remove(id);
                Map<String, Object> target = (Map<String, Object>) redrive.get("deadLetterTargetArn");
                candidates.remove(((List<String>) target.get("Fn::GetAtt")).get(0));
            }
        });
        assertEquals(1, candidates.size(), "one queue besides the work queues and their dead-letter queues: " + candidates);
        return candidates.iterator().next();
    }
}
