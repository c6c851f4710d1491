package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canary sees what users see: each deployment group rolls back on the new version's own signals
 * (the embedded metric format lines the functions write, per function version), a worker's canary
 * bakes long enough for a failed message to be retried and counted, and the api's post-traffic hook
 * walks the live API.
 */
class CanarySignalsTest {

    private static final List<String> STAGES = List.of("dev", "beta", "prod");
    private static final Path SIGNALS = Path.of("../events/metrics/rollback-signals.json");

    @BeforeAll
    static void synthesize() {
        STAGES.forEach(SynthesizedStages::stage);
    }

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    /** The Glint metric the alarm watches, by function, name and statistic, for the version this deploy published. */
    private static Map<String, Object> signal(Template template, FunctionSpec spec, String metric) {
        return Map.of(
                "Namespace", GlintAlarms.NAMESPACE,
                "MetricName", metric,
                // sorted by name, as the alarm's dimensions map is
                "Dimensions", List.of(
                        Map.of("Name", "FunctionName", "Value", Map.of("Ref", Templates.functionId(template, spec))),
                        Map.of("Name", "FunctionVersion", "Value",
                                Map.of("Fn::GetAtt", List.of(Templates.versionId(template, spec), "Version")))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theApiRollsBackOnTheNewVersionsOwn5xxRateAndLatency(String stage) {
        Template template = template(stage);
        FunctionSpec api = GlintResources.API_FUNCTION;
        String rate = alarm(template, Map.of(
                "Threshold", StageSettings.forStage(stage).api5xxRatePercent(),
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 3, "DatapointsToAlarm", 2, "TreatMissingData", "notBreaching",
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "IF(requests > 0, 100 * errors / requests, 0)")),
                        Match.objectLike(Map.of("Id", "errors", "MetricStat", Map.of(
                                "Metric", signal(template, api, "ServerErrors"), "Period", 60, "Stat", "Sum"))),
                        Match.objectLike(Map.of("Id", "requests", "MetricStat", Map.of(
                                "Metric", signal(template, api, "Requests"), "Period", 60, "Stat", "Sum")))))));
        String latency = alarm(template, merge(signal(template, api, "Latency"), Map.of(
                "ExtendedStatistic", "p99", "Period", 60, "Threshold", GlintAlarms.API_P99_LIMIT_MS,
                "EvaluationPeriods", 3, "DatapointsToAlarm", 2, "TreatMissingData", "notBreaching")));
        List<String> watched = watchedBy(template, api);
        assertTrue(watched.contains(rate) && watched.contains(latency), watched.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theWholeStagesAnswersNoLongerRollBackAVersion(String stage) {
        Template template = template(stage);
        String api = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*live alias.*")));
        String stageLatency = alarm(template, Map.of("Namespace", "AWS/ApiGateway", "MetricName", "Latency",
                "Dimensions", List.of(Map.of("Name", "ApiId", "Value", Map.of("Ref", api)), Map.of("Name", "Stage", "Value", "$default"))));
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            assertFalse(watchedBy(template, spec).contains(stageLatency), spec.name() + " rolls back on the old version's latency too");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void aWorkerRollsBackWhenTheNewVersionFailsMessagesInTwoMinutesOfTheRetryWindow(String stage) {
        Template template = template(stage);
        for (QueueSpec queue : GlintResources.QUEUES) {
            FunctionSpec worker = spec(queue.consumerFunction());
            String alarm = alarm(template, merge(signal(template, worker, "FailedItems"), Map.of(
                    "Statistic", "Sum", "Period", 60, "Threshold", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                    "EvaluationPeriods", CanaryBake.evaluationPeriods(queue), "DatapointsToAlarm", 2,
                    "TreatMissingData", "notBreaching")));
            assertTrue(watchedBy(template, worker).contains(alarm), worker.name() + " does not watch " + alarm);
        }
        FunctionSpec stream = spec(GlintResources.STREAM_CONSUMER.function());
        String records = alarm(template, merge(signal(template, stream, "FailedRecords"), Map.of(
                "Statistic", "Sum", "Period", 60, "Threshold", 1, "EvaluationPeriods", 3, "DatapointsToAlarm", 2)));
        assertTrue(watchedBy(template, stream).contains(records));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beta", "prod"})
    void aWorkersCanaryBakesForTheRetryWindowAndTwoCountedMinutes(String stage) {
        Template template = template(stage);
        for (QueueSpec queue : GlintResources.QUEUES) {
            Object config = properties(template, deploymentGroupOf(template, spec(queue.consumerFunction()))).get("DeploymentConfigName");
            int bake = CanaryBake.bakeMinutes(queue);
            if (bake == CanaryBake.STAGE_CANARY_MINUTES) {
                assertEquals("CodeDeployDefault.LambdaCanary10Percent5Minutes", config, queue.logicalName());
            } else {
                @SuppressWarnings("unchecked")
                String id = (String) ((Map<String, Object>) config).get("Ref");
                assertEquals(Map.of("Type", "TimeBasedCanary", "TimeBasedCanary", Map.of("CanaryInterval", bake, "CanaryPercentage", 10)),
                        properties(template, id).get("TrafficRoutingConfig"), queue.logicalName());
            }
        }
    }

    @Test
    void theBakeArithmeticFollowsVisibilityTimeoutAndBackoff() {
        // Backoffs 5 + 10 + 20 + 40 s between five receives.
        QueueSpec media = new QueueSpec("media", "X", "media-worker", 600, 5, 5, 14);
        QueueSpec fanout = new QueueSpec("fanout", "X", "fanout-worker", 300, 10, 5, 14);
        QueueSpec quick = new QueueSpec("quick", "X", "w", 30, 10, 5, 14);
        assertEquals(75, CanaryBake.backoffSeconds(media));
        // 600 s retry window + 3 minutes: 13 minutes, over 11 one-minute periods.
        assertEquals(13, CanaryBake.bakeMinutes(media));
        assertEquals(11, CanaryBake.evaluationPeriods(media));
        assertEquals(8, CanaryBake.bakeMinutes(fanout));
        assertEquals(6, CanaryBake.evaluationPeriods(fanout));
        // The backoff outlasts a short visibility timeout: 75 s + 180 s, never under the stage's 5 minutes.
        assertEquals(75, CanaryBake.retryWindowSeconds(quick));
        assertEquals(5, CanaryBake.bakeMinutes(quick));
        assertEquals(3, CanaryBake.evaluationPeriods(quick));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void afterAllTrafficMovesAReadOnlyJourneyThroughTheLiveApiChecksTheNewVersion(String stage) {
        Template template = template(stage);
        FunctionSpec api = GlintResources.API_FUNCTION;
        String liveApi = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*live alias.*")));
        String hook = Templates.logicalId(template, "AWS::Lambda::Function", Map.of("Environment", Map.of("Variables", Map.of(
                TrafficShifting.ENV_EXPECTED_VERSION, Map.of("Fn::GetAtt", List.of(Templates.versionId(template, api), "Version")),
                TrafficShifting.ENV_LIVE_URL, Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                        Match.arrayWith(List.of(Map.of("Ref", liveApi)))))))))));
        template.hasResource("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Name", GlintFunctions.LIVE_ALIAS,
                        "FunctionName", Map.of("Ref", Templates.functionId(template, api)))),
                "UpdatePolicy", Map.of("CodeDeployLambdaAliasUpdate", Match.objectLike(Map.of(
                        "AfterAllowTrafficHook", Map.of("Ref", hook)))))));
        @SuppressWarnings("unchecked")
        String code = (String) ((Map<String, Object>) properties(template, hook).get("Code")).get("ZipFile");
        assertTrue(code.contains("PutLifecycleEventHookExecutionStatusCommand") && code.contains("'v1/me'"), "the hook reports its journey");
        assertFalse(code.matches("(?s).*method:\\s*'(POST|PUT|DELETE|PATCH)'.*"), "the journey only reads");
        // It may report to the api's deployment group only.
        String role = ((List<?>) ((Map<?, ?>) properties(template, hook).get("Role")).get("Fn::GetAtt")).get(0).toString();
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", role)),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "codedeploy:PutLifecycleEventHookExecutionStatus",
                        "Resource", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                Match.arrayWith(List.of(Map.of("Ref", deploymentGroupOf(template, api)))))))))))))));
    }

    /**
     * The template's per-version signals are the list the local stack's test holds the functions to
     * ({@code events/metrics/rollback-signals.json}): same namespace, names, statistics and dimensions.
     */
    @Test
    void theSignalsTheAlarmsWatchAreTheOnesTheFunctionsAreHeldTo() throws Exception {
        JsonNode file = new ObjectMapper().readTree(SIGNALS.toFile());
        Set<String> expected = new TreeSet<>();
        file.get("signals").forEach(s -> expected.add(s.get("function").asText() + " " + file.get("namespace").asText() + "/"
                + s.get("metric").asText() + " " + s.get("statistic").asText() + " " + file.get("dimensions")));
        Template template = template("prod");
        Set<String> found = new TreeSet<>();
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            for (String alarm : watchedBy(template, spec)) {
                for (Map<String, Object> stat : metricStats(properties(template, alarm))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metric = (Map<String, Object>) stat.get("metric");
                    if (!GlintAlarms.NAMESPACE.equals(metric.get("Namespace"))) {
                        continue;
                    }
                    assertEquals(signal(template, spec, (String) metric.get("MetricName")).get("Dimensions"), metric.get("Dimensions"),
                            alarm + " watches another function or version");
                    List<String> names = new ArrayList<>();
                    ((List<?>) metric.get("Dimensions")).forEach(d -> names.add("\"" + ((Map<?, ?>) d).get("Name") + "\""));
                    found.add(spec.name() + " " + metric.get("Namespace") + "/" + metric.get("MetricName") + " " + stat.get("stat")
                            + " " + names.toString().replace(" ", ""));
                }
            }
        }
        assertEquals(expected, found);
    }

    /** An alarm's metrics: its single metric, or each metric of its math expression, with the statistic. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> metricStats(Map<String, Object> alarm) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (alarm.containsKey("MetricName")) {
            Object stat = alarm.containsKey("Statistic") ? alarm.get("Statistic") : alarm.get("ExtendedStatistic");
            out.add(Map.of("metric", Map.of("Namespace", alarm.get("Namespace"), "MetricName", alarm.get("MetricName"),
                    "Dimensions", alarm.get("Dimensions")), "stat", stat));
        }
        for (Object entry : (List<Object>) alarm.getOrDefault("Metrics", List.of())) {
            Map<String, Object> query = (Map<String, Object>) entry;
            if (query.containsKey("MetricStat")) {
                Map<String, Object> metricStat = (Map<String, Object>) query.get("MetricStat");
                out.add(Map.of("metric", metricStat.get("Metric"), "stat", metricStat.get("Stat")));
            }
        }
        return out;
    }

    private static FunctionSpec spec(String name) {
        return GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Template template, String logicalId) {
        return (Map<String, Object>) Templates.resource(template, logicalId).get("Properties");
    }

    @SuppressWarnings("unchecked")
    private static List<String> watchedBy(Template template, FunctionSpec spec) {
        Map<String, Object> configuration = (Map<String, Object>) properties(template, deploymentGroupOf(template, spec)).get("AlarmConfiguration");
        List<String> alarms = new ArrayList<>();
        for (Object alarm : (List<Object>) configuration.get("Alarms")) {
            alarms.add((String) ((Map<String, Object>) ((Map<String, Object>) alarm).get("Name")).get("Ref"));
        }
        return alarms;
    }

    @SuppressWarnings("unchecked")
    private static String deploymentGroupOf(Template template, FunctionSpec spec) {
        Map<String, Object> alias = Templates.resource(template, Templates.aliasId(template, spec, GlintFunctions.LIVE_ALIAS));
        Map<String, Object> update = (Map<String, Object>) ((Map<String, Object>) alias.get("UpdatePolicy")).get("CodeDeployLambdaAliasUpdate");
        return (String) ((Map<String, Object>) update.get("DeploymentGroupName")).get("Ref");
    }

    private static String alarm(Template template, Map<String, ?> properties) {
        return Templates.logicalId(template, "AWS::CloudWatch::Alarm", properties);
    }

    private static Map<String, Object> merge(Map<String, ?> a, Map<String, ?> b) {
        Map<String, Object> out = new java.util.HashMap<>(a);
        out.putAll(b);
        return out;
    }
}
