package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each stage has a dashboard, alarms on the signals that matter, and logs kept for the stage's time. */
class OperationsTest {

    private static final Map<String, Integer> RETENTION_DAYS = Map.of("dev", 7, "beta", 30, "prod", 90);

    @BeforeAll
    static void synthesize() {
        List.of("dev", "beta", "prod").forEach(SynthesizedStages::stage);
    }

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void everyLogGroupKeepsLogsForTheStagesRetention(String stage) {
        Template template = template(stage);
        // a log group per function, the pre- and post-traffic hooks, two HTTP API access logs, the WebSocket API's;
        // in beta and prod the web client's deployment and the staged API's access logs
        template.resourceCountIs("AWS::Logs::LogGroup", GlintResources.FUNCTIONS.size() + 5 + (stage.equals("dev") ? 0 : 2));
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", RETENTION_DAYS.get(stage)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void operationalAlarmsWatchThrottlesQueuesTheStreamAndTheTable(String stage) {
        Template template = template(stage);
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "Throttles", "Threshold", 0), GlintResources.FUNCTIONS.size());
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateAgeOfOldestMessage",
                "Threshold", GlintAlarms.OLDEST_MESSAGE_LIMIT_SECONDS), GlintResources.QUEUES.size());
        // every dead-letter queue and the stream's failure queue: not empty
        template.resourcePropertiesCountIs("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateNumberOfMessagesVisible", "Threshold", 0),
                GlintResources.QUEUES.size() + 1);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda", "MetricName", "IteratorAge", "Threshold", GlintAlarms.ITERATOR_AGE_LIMIT_MS));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Metrics", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Expression", "reads + writes"))))));
    }

    @Test
    void everyAlarmNotifiesTheStagesTopicWhichRefusesInsecureTransport() {
        Template template = template("prod");
        String topic = Templates.logicalId(template, "AWS::SNS::Topic", Map.of());
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of(Map.of("Ref", topic)),
                "TreatMissingData", "notBreaching")));
        Map<String, Object> denyWithoutTls = Map.of(
                "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(denyWithoutTls)))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theDashboardShowsTheApiFunctionsQueuesTableAndAlarms(String stage) throws Exception {
        Template template = template(stage);
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        JsonNode widgets = dashboard(template).path("widgets");
        Set<String> titles = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        for (JsonNode widget : widgets) {
            titles.add(widget.path("properties").path("title").asText());
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                // [namespace, name, dimension, value, ...]
                metrics.add(metric.get(0).asText() + " " + metric.get(1).asText());
            }
        }
        assertTrue(titles.containsAll(List.of("API requests", "API latency (ms)", "API errors", "Function duration p99 (ms)",
                "Concurrent executions", "Throttles", "Cold starts (SnapStart restores and full inits)", "Queue depth",
                "Oldest message (s)", "Dead letters", "DynamoDB throttle events", "Alarms")), titles.toString());
        assertTrue(metrics.containsAll(List.of(
                "AWS/ApiGateway Count", "AWS/ApiGateway Latency", "AWS/ApiGateway 4xx", "AWS/ApiGateway 5xx",
                "AWS/Lambda Duration", "AWS/Lambda ConcurrentExecutions", "AWS/Lambda Throttles", "AWS/Lambda IteratorAge",
                "AWS/SQS ApproximateNumberOfMessagesVisible", "AWS/SQS ApproximateAgeOfOldestMessage",
                "AWS/DynamoDB ReadThrottleEvents", "AWS/DynamoDB WriteThrottleEvents")), metrics.toString());
        JsonNode alarms = null;
        for (JsonNode widget : widgets) {
            if (widget.path("properties").path("title").asText().equals("Alarms")) {
                alarms = widget.path("properties").path("alarms");
            }
        }
        assertEquals(template.findResources("AWS::CloudWatch::Alarm").size(), alarms == null ? 0 : alarms.size());
    }

    /**
     * The dashboard body is a JSON document joined with references (Fn::Join); references become
     * placeholders so the document can be read as JSON.
     */
    @SuppressWarnings("unchecked")
    private static JsonNode dashboard(Template template) throws Exception {
        Map<String, Object> dashboard = template.findResources("AWS::CloudWatch::Dashboard").values().iterator().next();
        Object body = ((Map<String, Object>) dashboard.get("Properties")).get("DashboardBody");
        List<Object> parts = body instanceof Map<?, ?> join
                ? (List<Object>) ((List<Object>) join.get("Fn::Join")).get(1)
                : List.of(body);
        List<String> text = new ArrayList<>();
        for (Object part : parts) {
            text.add(part instanceof String literal ? literal : "REF");
        }
        return new ObjectMapper().readTree(String.join("", text));
    }
}
