package dev.glint.local.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stage's template says about a function's deployment: the {@code live} alias of the function
 * with the given handler, the CodeDeploy deployment group its {@code UpdatePolicy} names, that group's
 * deployment configuration (a predefined {@code CodeDeployDefault.Lambda…} name or an
 * {@code AWS::CodeDeploy::DeploymentConfig} of the template) as traffic steps, and its rollback alarms
 * as {@link AlarmDefinition}s, with their dimensions resolved to the local function name and the version
 * the rehearsal publishes.
 */
public record CanaryPlan(String functionLogicalId, String deploymentGroup, String configName, List<Step> steps,
                         List<AlarmDefinition> alarms) {

    /** From {@code atMinute} (since the shift began), {@code percent} of the traffic goes to the new version. */
    public record Step(double atMinute, double percent) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CANARY = Pattern.compile("CodeDeployDefault\\.LambdaCanary(\\d+)Percent(\\d+)Minutes?");
    private static final Pattern LINEAR = Pattern.compile("CodeDeployDefault\\.LambdaLinear(\\d+)PercentEvery(\\d+)Minutes?");

    /**
     * @param functionName the local name the function's {@code Ref} stands for
     * @param newVersion   the version the deployment publishes ({@code Fn::GetAtt <Version>.Version})
     */
    public static CanaryPlan read(Path template, String handlerPrefix, String functionName, String newVersion) throws IOException {
        JsonNode resources = JSON.readTree(template.toFile()).path("Resources");
        String function = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().path("Type").asText().equals("AWS::Lambda::Function")
                    && e.getValue().path("Properties").path("Handler").asText().startsWith(handlerPrefix)) {
                function = e.getKey();
            }
        }
        if (function == null) {
            throw new UnsupportedAlarm(template + " has no function with handler " + handlerPrefix);
        }
        String group = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode alias = e.getValue();
            if (alias.path("Type").asText().equals("AWS::Lambda::Alias")
                    && alias.path("Properties").path("Name").asText().equals("live")
                    && alias.path("Properties").path("FunctionName").path("Ref").asText().equals(function)) {
                group = alias.path("UpdatePolicy").path("CodeDeployLambdaAliasUpdate").path("DeploymentGroupName").path("Ref").asText(null);
            }
        }
        if (group == null || !resources.has(group)) {
            throw new UnsupportedAlarm(template + ": the live alias of " + function + " names no CodeDeploy deployment group");
        }
        JsonNode groupProps = resources.get(group).path("Properties");
        JsonNode configRef = groupProps.path("DeploymentConfigName");
        String configName;
        List<Step> steps;
        if (configRef.isTextual()) {
            configName = configRef.asText();
            steps = predefined(configName);
        } else if (configRef.has("Ref") && resources.has(configRef.get("Ref").asText())) {
            configName = configRef.get("Ref").asText();
            steps = custom(configName, resources.get(configName).path("Properties").path("TrafficRoutingConfig"));
        } else {
            // CodeDeploy's default for a Lambda deployment group without a configuration.
            configName = "CodeDeployDefault.LambdaAllAtOnce";
            steps = predefined(configName);
        }
        String fn = function;
        java.util.function.Function<JsonNode, String> resolve = new java.util.function.Function<>() {
            @Override
            public String apply(JsonNode value) {
                if (value.isTextual()) {
                    return value.asText();
                }
                if (value.has("Ref") && value.get("Ref").asText().equals(fn)) {
                    return functionName;
                }
                JsonNode getAtt = value.get("Fn::GetAtt");
                if (getAtt != null && getAtt.size() == 2 && getAtt.get(1).asText().equals("Version")
                        && resources.path(getAtt.get(0).asText()).path("Type").asText().equals("AWS::Lambda::Version")
                        && resources.path(getAtt.get(0).asText()).path("Properties").path("FunctionName").path("Ref").asText().equals(fn)) {
                    return newVersion;
                }
                JsonNode join = value.get("Fn::Join");
                if (join != null && join.size() == 2) {
                    List<String> parts = new ArrayList<>();
                    join.get(1).forEach(part -> parts.add(apply(part)));
                    return String.join(join.get(0).asText(), parts);
                }
                throw new UnsupportedAlarm("a dimension value " + value + " does not resolve locally");
            }
        };
        List<AlarmDefinition> alarms = new ArrayList<>();
        for (JsonNode entry : groupProps.path("AlarmConfiguration").path("Alarms")) {
            String alarm = entry.path("Name").path("Ref").asText(null);
            if (alarm == null || !resources.path(alarm).path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                throw new UnsupportedAlarm(group + " watches an alarm that is not in the template: " + entry);
            }
            alarms.add(AlarmDefinition.read(alarm, resources.get(alarm).path("Properties"), resolve));
        }
        if (!groupProps.path("AlarmConfiguration").path("Enabled").asBoolean(false)) {
            alarms.clear();
        }
        return new CanaryPlan(function, group, configName, steps, List.copyOf(alarms));
    }

    /** CodeDeploy's predefined Lambda configurations. */
    static List<Step> predefined(String name) {
        if (name.equals("CodeDeployDefault.LambdaAllAtOnce")) {
            return List.of(new Step(0, 100));
        }
        Matcher canary = CANARY.matcher(name);
        if (canary.matches()) {
            return List.of(new Step(0, Integer.parseInt(canary.group(1))), new Step(Integer.parseInt(canary.group(2)), 100));
        }
        Matcher linear = LINEAR.matcher(name);
        if (linear.matches()) {
            return linear(Integer.parseInt(linear.group(1)), Integer.parseInt(linear.group(2)));
        }
        throw new UnsupportedAlarm("the deployment configuration " + name + " is not known locally");
    }

    static List<Step> custom(String name, JsonNode routing) {
        String type = routing.path("Type").asText();
        return switch (type) {
            case "AllAtOnce" -> List.of(new Step(0, 100));
            case "TimeBasedCanary" -> List.of(new Step(0, routing.path("TimeBasedCanary").path("CanaryPercentage").asDouble()),
                    new Step(routing.path("TimeBasedCanary").path("CanaryInterval").asDouble(), 100));
            case "TimeBasedLinear" -> linear(routing.path("TimeBasedLinear").path("LinearPercentage").asInt(),
                    routing.path("TimeBasedLinear").path("LinearInterval").asInt());
            default -> throw new UnsupportedAlarm(name + ": traffic routing " + type + " is not known locally");
        };
    }

    private static List<Step> linear(int percent, int interval) {
        if (percent <= 0) {
            throw new UnsupportedAlarm("a linear step of " + percent + " % never ends");
        }
        List<Step> steps = new ArrayList<>();
        int share = percent;
        int minute = 0;
        while (share < 100) {
            steps.add(new Step(minute, share));
            share += percent;
            minute += interval;
        }
        steps.add(new Step(minute, 100));
        return steps;
    }
}
