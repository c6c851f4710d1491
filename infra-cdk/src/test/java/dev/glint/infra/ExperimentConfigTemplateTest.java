package dev.glint.infra;

import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each stage's experiments in AppConfig: what is deployed, how changes roll out and roll back, who reads and writes. */
class ExperimentConfigTemplateTest {

    private static Template prod() {
        return SynthesizedStages.stage("prod").template();
    }

    @Test
    void aHostedProfileValidatedByTheRulesJsonSchemaCanExpress() {
        Template template = prod();
        template.resourceCountIs("AWS::AppConfig::Application", 1);
        template.hasResourceProperties("AWS::AppConfig::Application", Map.of("Name", "glint-prod"));
        template.hasResourceProperties("AWS::AppConfig::ConfigurationProfile", Map.of(
                "Name", GlintExperimentConfig.PROFILE_NAME,
                "LocationUri", "hosted",
                "Type", "AWS.Freeform",
                "Validators", List.of(Map.of("Type", "JSON_SCHEMA", "Content", ExperimentConfig.jsonSchema()))));
    }

    @Test
    void changesRollOutGraduallyAndTheLiveApis5xxAlarmRollsThemBack() {
        Template template = prod();
        template.hasResourceProperties("AWS::AppConfig::DeploymentStrategy", Map.of(
                "GrowthType", "LINEAR", "GrowthFactor", 20, "DeploymentDurationInMinutes", 10,
                "FinalBakeTimeInMinutes", 10, "ReplicateTo", "NONE"));
        String alarm = Templates.logicalId(template, "AWS::CloudWatch::Alarm", Map.of(
                "AlarmDescription", Match.stringLikeRegexp(".*of live API requests answer 5xx")));
        template.hasResourceProperties("AWS::AppConfig::Environment", Map.of(
                "Name", "prod",
                "Monitors", List.of(Map.of("AlarmArn", Map.of("Fn::GetAtt", List.of(alarm, "Arn")),
                        "AlarmRoleArn", Match.anyValue()))));
    }

    @Test
    void theStagesFileIsTheFirstVersionDeployedAtOnce() {
        Template dev = SynthesizedStages.stage("dev").template();
        String content = StageExperiments.forStage("dev").orElseThrow().toJson();
        String version = Templates.logicalId(dev, "AWS::AppConfig::HostedConfigurationVersion", Map.of(
                "Content", content, "ContentType", "application/json"));
        String initial = Templates.logicalId(dev, "AWS::AppConfig::DeploymentStrategy", Map.of(
                "DeploymentDurationInMinutes", 0, "FinalBakeTimeInMinutes", 0, "GrowthFactor", 100));
        dev.hasResourceProperties("AWS::AppConfig::Deployment", Map.of(
                "ConfigurationVersion", Map.of("Ref", version),
                "DeploymentStrategyId", Map.of("Ref", initial)));
        // prod has no file: the shipped experiments
        prod().hasResourceProperties("AWS::AppConfig::HostedConfigurationVersion", Map.of(
                "Content", ExperimentConfig.shipped().toJson()));
    }

    @Test
    void theReadersAndWritersAreToldWhereAndOnlyTheApiAndTheAutomaticStopHowToDeploy() {
        Template template = prod();
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            Map<String, Object> variables = variables(template, spec);
            boolean writes = spec.equals(GlintResources.API_FUNCTION) || spec.equals(GlintResources.FANOUT_WORKER_FUNCTION);
            boolean reads = writes || spec.equals(GlintResources.STREAM_PROCESSOR_FUNCTION);
            assertEquals(reads, variables.containsKey(AppConfigLocation.ENV_APPLICATION), spec.name());
            assertEquals(reads, variables.containsKey(AppConfigLocation.ENV_ENVIRONMENT), spec.name());
            assertEquals(reads, variables.containsKey(AppConfigLocation.ENV_PROFILE), spec.name());
            assertEquals(writes, variables.containsKey(AppConfigLocation.ENV_STRATEGY), spec.name());
            assertFalse(variables.containsKey(AppConfigLocation.ENV_ENDPOINT), spec.name());
            if (reads) {
                assertEquals("30", variables.get(AppConfigLocation.ENV_POLL_SECONDS), spec.name());
                assertTrue(variables.get(AppConfigLocation.ENV_PROFILE).toString().contains("ExperimentsProfile"), spec.name());
            }
        }
    }

    @Test
    void aLocalStackStageKeepsItsFile() {
        Template template = SynthesizedStages.localStack("dev").template();
        template.resourceCountIs("AWS::AppConfig::Application", 0);
        assertFalse(variables(template, GlintResources.API_FUNCTION).containsKey(AppConfigLocation.ENV_APPLICATION));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Template template, FunctionSpec spec) {
        Map<String, Object> properties = (Map<String, Object>) Templates.resource(template, Templates.functionId(template, spec))
                .get("Properties");
        return (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
    }
}
