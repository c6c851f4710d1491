package dev.glint.local.canary;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanaryPlanTest {

    @Test
    void codeDeploysPredefinedLambdaConfigurationsAreTrafficSteps() {
        assertEquals(List.of(new CanaryPlan.Step(0, 10), new CanaryPlan.Step(5, 100)),
                CanaryPlan.predefined("CodeDeployDefault.LambdaCanary10Percent5Minutes"));
        assertEquals(List.of(new CanaryPlan.Step(0, 100)), CanaryPlan.predefined("CodeDeployDefault.LambdaAllAtOnce"));
        List<CanaryPlan.Step> linear = CanaryPlan.predefined("CodeDeployDefault.LambdaLinear10PercentEvery1Minute");
        assertEquals(10, linear.size());
        assertEquals(new CanaryPlan.Step(9, 100), linear.get(9));
        assertThrows(UnsupportedAlarm.class, () -> CanaryPlan.predefined("CodeDeployDefault.LambdaBlueSky"));
    }

    private static final String TEMPLATE = """
            {"Resources": {
              "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "dev.glint.api.ApiLambda::handleRequest"}},
              "FnVersion": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
              "Live": {"Type": "AWS::Lambda::Alias", "Properties": {"Name": "live", "FunctionName": {"Ref": "Fn"}},
                       "UpdatePolicy": {"CodeDeployLambdaAliasUpdate": {"DeploymentGroupName": {"Ref": "Group"}}}},
              "Config": {"Type": "AWS::CodeDeploy::DeploymentConfig", "Properties": {"ComputePlatform": "Lambda",
                 "TrafficRoutingConfig": {"Type": "TimeBasedCanary", "TimeBasedCanary": {"CanaryPercentage": 10, "CanaryInterval": 13}}}},
              "Group": {"Type": "AWS::CodeDeploy::DeploymentGroup", "Properties": {"DeploymentConfigName": {"Ref": "Config"},
                 "AlarmConfiguration": {"Enabled": true, "Alarms": [{"Name": {"Ref": "Errors"}}]}}},
              "Errors": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Errors",
                 "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold",
                 "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "Fn"}},
                                {"Name": "Resource", "Value": {"Fn::Join": ["", [{"Ref": "Fn"}, ":live"]]}},
                                {"Name": "ExecutedVersion", "Value": {"Fn::GetAtt": ["FnVersion", "Version"]}}]}}
            }}""";

    @Test
    void theLiveAliasesGroupGivesTheStepsAndTheAlarmsWithTheirDimensionsResolved(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, TEMPLATE);
        CanaryPlan plan = CanaryPlan.read(file, "dev.glint.api.ApiLambda", "local-fn", "7");
        assertEquals("Group", plan.deploymentGroup());
        assertEquals(List.of(new CanaryPlan.Step(0, 10), new CanaryPlan.Step(13, 100)), plan.steps());
        var stat = (AlarmDefinition.MetricStat) plan.alarms().get(0).queries().get(0);
        assertEquals(Map.of("FunctionName", "local-fn", "Resource", "local-fn:live", "ExecutedVersion", "7"), stat.dimensions());
    }

    @Test
    void aDimensionThatDoesNotResolveStopsTheRehearsal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, TEMPLATE.replace("{\"Ref\": \"Fn\"}, \":live\"", "{\"Fn::ImportValue\": \"x\"}, \":live\""));
        var e = assertThrows(UnsupportedAlarm.class, () -> CanaryPlan.read(file, "dev.glint.api.ApiLambda", "local-fn", "7"));
        assertTrue(e.getMessage().contains("Fn::ImportValue"), e.getMessage());
        new ObjectMapper().readTree(TEMPLATE);
    }
}
