package dev.glint.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Stages share nothing and fix no name, so any number of them (dev, beta, prod, sandboxes) deploy
 * side by side in one account.
 */
class StageIndependenceTest {

    /** Every property that would fix a physical name, by resource type. */
    private static final Map<String, String> NAME_PROPERTIES = Map.ofEntries(
            Map.entry("AWS::Lambda::Function", "FunctionName"),
            Map.entry("AWS::DynamoDB::Table", "TableName"),
            Map.entry("AWS::S3::Bucket", "BucketName"),
            Map.entry("AWS::SQS::Queue", "QueueName"),
            Map.entry("AWS::SNS::Topic", "TopicName"),
            Map.entry("AWS::Logs::LogGroup", "LogGroupName"),
            Map.entry("AWS::CloudWatch::Alarm", "AlarmName"),
            Map.entry("AWS::CloudWatch::Dashboard", "DashboardName"),
            Map.entry("AWS::CodeDeploy::Application", "ApplicationName"),
            Map.entry("AWS::CodeDeploy::DeploymentGroup", "DeploymentGroupName"),
            Map.entry("AWS::Cognito::UserPool", "UserPoolName"),
            Map.entry("AWS::IAM::Role", "RoleName"));

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod", "sandbox-alice"})
    void noResourceFixesItsPhysicalName(String stage) {
        Template template = SynthesizedStages.stage(stage).template();
        NAME_PROPERTIES.forEach((type, property) -> template.findResources(type).forEach((id, resource) -> {
            Map<?, ?> properties = (Map<?, ?>) resource.getOrDefault("Properties", Map.of());
            assertFalse(properties.containsKey(property), id + " fixes its " + property + ": " + properties.get(property));
        }));
        // An HTTP API needs a name; it is made from the stack name at deploy time.
        template.allResourcesProperties("AWS::ApiGatewayV2::Api", Match.objectLike(Map.of(
                "Name", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(Map.of("Ref", "AWS::StackName"))))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod", "sandbox-alice"})
    void nothingIsExportedSoNoStackPinsAnother(String stage) {
        Map<String, Map<String, Object>> outputs = SynthesizedStages.stage(stage).template().findOutputs("*");
        outputs.forEach((id, output) -> assertFalse(output.containsKey("Export"), id + " is exported"));
        Set<String> expected = new java.util.TreeSet<>(Set.of("ApiUrl", "PreviewUrl", "ApiId", "PreviewApiId", "UserPoolId",
                "UserPoolClientId", "ProductClientId", "OperatorClientId", "SignInDomain",
                "DashboardName", "AlarmTopicArn", "DeploymentApplication", "StreamFailuresQueueUrl", "RealtimeUrl"));
        if (stage.equals("beta") || stage.equals("prod")) {
            expected.addAll(Set.of("SiteUrl", "MediaUrl", "MediaKeyGroupId", "MediaSigningKeySecretArn", "StagedApiUrl", "SplitStoreArn"));
        }
        assertEquals(expected, new java.util.TreeSet<>(outputs.keySet()));
    }

    @Test
    void twoStagesBuildSideBySideInOneAppWithTheirOwnStacks() {
        App app = new App(AppProps.builder().context(SynthesizedStages.cdkJsonContext()).build());
        GlintResourcesStack dev = GlintApp.build(app, StageSettings.forStage("dev"), SynthesizedStages.code());
        GlintResourcesStack alice = GlintApp.build(app, StageSettings.forStage("sandbox-alice"),
                SynthesizedStages.code());

        assertEquals("dev-Glint", dev.getStackName());
        assertEquals("sandbox-alice-Glint", alice.getStackName());
        assertNotEquals(dev.getArtifactId(), alice.getArtifactId());
    }
}
