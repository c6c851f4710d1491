package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every deploy publishes a version behind {@code live}; CodeDeploy shifts traffic (all at once in
 * dev, canary in beta and prod) watching alarms that roll it back; the preview alias and API reach
 * the newest version first.
 */
class DeploymentSafetyTest {

    private static final List<String> STAGES = List.of("dev", "beta", "prod");
    private static final Map<String, String> EXPECTED_CONFIG = Map.of(
            "dev", "CodeDeployDefault.LambdaAllAtOnce",
            "beta", "CodeDeployDefault.LambdaCanary10Percent5Minutes",
            "prod", "CodeDeployDefault.LambdaCanary10Percent5Minutes");

    @BeforeAll
    static void synthesize() {
        STAGES.forEach(SynthesizedStages::stage);
    }

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void everyFunctionRunsJava21OnArmWithSnapStartOnPublishedVersionsAndTracing(String stage) {
        Template template = template(stage);
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Runtime", "java21",
                    "Architectures", List.of("arm64"),
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "TracingConfig", Map.of("Mode", "Active"),
                    "MemorySize", spec.memoryMb(),
                    "Timeout", spec.timeoutSeconds()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void everyFunctionPublishesAVersionThatItsLiveAliasServes(String stage) {
        Template template = template(stage);
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            String version = Templates.versionId(template, spec);
            template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                    "FunctionName", Map.of("Ref", Templates.functionId(template, spec)),
                    "Name", GlintFunctions.LIVE_ALIAS,
                    "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version"))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void codeDeployShiftsEachLiveAliasAllAtOnceInDevAndByCanaryInBetaAndProd(String stage) {
        Template template = template(stage);
        template.resourceCountIs("AWS::CodeDeploy::DeploymentGroup", GlintResources.FUNCTIONS.size());
        template.allResourcesProperties("AWS::CodeDeploy::DeploymentGroup", Match.objectLike(Map.of(
                "DeploymentStyle", Map.of("DeploymentOption", "WITH_TRAFFIC_CONTROL", "DeploymentType", "BLUE_GREEN"))));
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            // A worker's canary may bake longer than the stage's (CanarySignalsTest pins how long).
            boolean worker = GlintResources.QUEUES.stream().anyMatch(q -> q.consumerFunction().equals(spec.name()));
            if (!worker || !StageSettings.forStage(stage).canary()) {
                assertEquals(EXPECTED_CONFIG.get(stage), Templates.resource(template, deploymentGroupOf(template, spec))
                        .get("Properties") instanceof Map<?, ?> properties ? properties.get("DeploymentConfigName") : null, spec.name());
            }
            template.hasResource("AWS::Lambda::Alias", Match.objectLike(Map.of(
                    "Properties", Match.objectLike(Map.of(
                            "FunctionName", Map.of("Ref", Templates.functionId(template, spec)),
                            "Name", GlintFunctions.LIVE_ALIAS)),
                    "UpdatePolicy", Map.of("CodeDeployLambdaAliasUpdate", Match.objectLike(Map.of(
                            "ApplicationName", Match.anyValue(),
                            "DeploymentGroupName", Map.of("Ref", deploymentGroupOf(template, spec))))))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void alarmsOnTheNewVersionStopTheDeploymentAndRollBack(String stage) {
        Template template = template(stage);
        template.allResourcesProperties("AWS::CodeDeploy::DeploymentGroup", Match.objectLike(Map.of(
                "AutoRollbackConfiguration", Map.of("Enabled", true, "Events",
                        Match.arrayWith(List.of("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"))),
                "AlarmConfiguration", Match.objectLike(Map.of("Enabled", true)))));
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            String function = Templates.functionId(template, spec);
            String version = Templates.versionId(template, spec);
            // Errors and p99 duration of invocations of the live alias served by the new version only.
            Map<String, Object> newVersion = Map.of(
                    "Namespace", "AWS/Lambda",
                    "Dimensions", Match.arrayWith(List.of(
                            Map.of("Name", "ExecutedVersion", "Value", Map.of("Fn::GetAtt", List.of(version, "Version"))),
                            Map.of("Name", "FunctionName", "Value", Map.of("Ref", function)),
                            Map.of("Name", "Resource", "Value", Map.of("Fn::Join", List.of("", List.of(Map.of("Ref", function), ":live")))))));
            String errors = alarm(template, merge(newVersion, Map.of("MetricName", "Errors", "Statistic", "Sum", "Threshold", 0)));
            String latency = alarm(template, merge(newVersion, Map.of("MetricName", "Duration", "ExtendedStatistic", "p99",
                    "Threshold", GlintAlarms.latencyLimitMillis(spec))));
            assertRollsBackOn(template, spec, errors, latency);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void newDeadLettersRollBackTheConsumerThatGaveUpOnThem(String stage) {
        Template template = template(stage);
        for (var queue : GlintResources.QUEUES) {
            String deadLetterQueue = queueIn(template, "AWS::SQS::Queue", Map.of("RedrivePolicy", Match.anyValue(),
                    "VisibilityTimeout", queue.visibilityTimeoutSeconds()), "RedrivePolicy", "deadLetterTargetArn");
            String growing = alarm(template, deadLettersGrowing(deadLetterQueue));
            FunctionSpec consumer = GlintResources.FUNCTIONS.stream()
                    .filter(f -> f.name().equals(queue.consumerFunction())).findFirst().orElseThrow();
            assertRollsBackOn(template, consumer, growing);
        }
        // The stream's failure queue is the destination of the stream processor's event source mapping.
        String failures = queueIn(template, "AWS::Lambda::EventSourceMapping", Map.of("DestinationConfig", Match.anyValue()),
                "DestinationConfig", "OnFailure", "Destination");
        assertRollsBackOn(template, GlintResources.STREAM_PROCESSOR_FUNCTION, alarm(template, deadLettersGrowing(failures)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void thePreviewAliasAndApiReachTheNewestApiVersionBeforeLiveTrafficMoves(String stage) {
        Template template = template(stage);
        FunctionSpec api = GlintResources.API_FUNCTION;
        String version = Templates.versionId(template, api);
        String preview = Templates.aliasId(template, api, GlintFunctions.PREVIEW_ALIAS);
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", GlintFunctions.PREVIEW_ALIAS,
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version"))));
        // preview has no CodeDeploy update policy: it moves at once, and before live does.
        assertEquals(null, Templates.resource(template, preview).get("UpdatePolicy"));
        template.hasResource("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Name", GlintFunctions.LIVE_ALIAS,
                        "FunctionName", Map.of("Ref", Templates.functionId(template, api)))),
                "DependsOn", Match.arrayWith(List.of(preview)))));
        String previewApi = Templates.logicalId(template, "AWS::ApiGatewayV2::Api", Map.of("Description", Match.stringLikeRegexp(".*preview.*")));
        template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "ApiId", Map.of("Ref", previewApi),
                "IntegrationType", "AWS_PROXY",
                "IntegrationUri", Map.of("Ref", preview),
                "PayloadFormatVersion", "2.0"));
        // Before any live traffic moves, a hook checks the preview API serves the new version, healthy.
        String hook = Templates.logicalId(template, "AWS::Lambda::Function", Map.of("Environment", Map.of("Variables", Map.of(
                TrafficShifting.ENV_EXPECTED_VERSION, Map.of("Fn::GetAtt", List.of(version, "Version")),
                TrafficShifting.ENV_PREVIEW_URL, Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                        Match.arrayWith(List.of(Map.of("Ref", previewApi)))))))))));
        template.hasResource("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("Name", GlintFunctions.LIVE_ALIAS,
                        "FunctionName", Map.of("Ref", Templates.functionId(template, api)))),
                "UpdatePolicy", Map.of("CodeDeployLambdaAliasUpdate", Match.objectLike(Map.of(
                        "BeforeAllowTrafficHook", Map.of("Ref", hook)))))));
    }

    @Test
    void theHookMayOnlyReportToTheApiDeploymentGroup() {
        Template template = template("prod");
        String group = deploymentGroupOf(template, GlintResources.API_FUNCTION);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of(
                        "Action", "codedeploy:PutLifecycleEventHookExecutionStatus",
                        "Resource", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                Match.arrayWith(List.of(Map.of("Ref", group))))))))))))));
    }

    private static void assertRollsBackOn(Template template, FunctionSpec spec, String... alarms) {
        @SuppressWarnings("unchecked")
        Map<String, Object> configuration = (Map<String, Object>) ((Map<String, Object>) Templates.resource(template,
                deploymentGroupOf(template, spec)).get("Properties")).get("AlarmConfiguration");
        List<?> watched = (List<?>) configuration.get("Alarms");
        for (String alarm : alarms) {
            assertTrue(watched.contains(Map.of("Name", Map.of("Ref", alarm))), spec.name() + " deployments do not watch " + alarm);
        }
    }

    /** The deployment group that the function's live alias names in its CodeDeploy update policy. */
    @SuppressWarnings("unchecked")
    private static String deploymentGroupOf(Template template, FunctionSpec spec) {
        Map<String, Object> alias = Templates.resource(template, Templates.aliasId(template, spec, GlintFunctions.LIVE_ALIAS));
        Map<String, Object> update = (Map<String, Object>) ((Map<String, Object>) alias.get("UpdatePolicy")).get("CodeDeployLambdaAliasUpdate");
        return (String) ((Map<String, Object>) update.get("DeploymentGroupName")).get("Ref");
    }

    /** The queue whose ARN (Fn::GetAtt) sits at {@code path} in the one resource that matches. */
    @SuppressWarnings("unchecked")
    private static String queueIn(Template template, String type, Map<String, ?> properties, String... path) {
        Object value = Templates.resource(template, Templates.logicalId(template, type, properties)).get("Properties");
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
        }
        return ((List<String>) ((Map<String, Object>) value).get("Fn::GetAtt")).get(0);
    }

    private static Map<String, Object> deadLettersGrowing(String queue) {
        Map<String, Object> depth = Map.of(
                "Namespace", "AWS/SQS",
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(queue, "QueueName")))));
        return Map.of("Threshold", 0, "ComparisonOperator", "GreaterThanThreshold", "Metrics", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Expression", "DIFF(FILL(depth, 0))")),
                Match.objectLike(Map.of("Id", "depth", "MetricStat", Match.objectLike(Map.of("Metric", depth)))))));
    }

    private static String alarm(Template template, Map<String, ?> properties) {
        return Templates.logicalId(template, "AWS::CloudWatch::Alarm", properties);
    }

    private static Map<String, Object> merge(Map<String, ?> a, Map<String, ?> b) {
        Map<String, Object> merged = new java.util.LinkedHashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
