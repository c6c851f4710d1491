package dev.glint.infra;

import dev.glint.shared.messages.ExperimentsCheck;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The experiments' automatic stop in the template: a schedule puts experiments.check on the fan-out
 * queue every 15 minutes with a role that may only send there; the fan-out worker may write and deploy
 * versions of the stage's one experiments profile, and does not poll it.
 */
class ExperimentChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void aScheduleSendsExperimentsCheckToTheFanoutQueueEveryQuarterHour(String stage) {
        Template template = SynthesizedStages.stage(stage).template();
        String queue = Templates.logicalId(template, "AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", GlintResources.FANOUT_QUEUE.visibilityTimeoutSeconds(), "RedrivePolicy", Match.anyValue()));
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "rate(15 minutes)",
                "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                "State", "ENABLED",
                "Target", Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(queue, "Arn")),
                        "Input", GlintExperimentChecks.input()))));
    }

    @Test
    void theSchedulesInputIsACheckTheWorkerDecodes() {
        String body = GlintExperimentChecks.input().replace("<aws.scheduler.scheduled-time>", "2026-11-30T07:15:00Z");
        ExperimentsCheck check = MessageCodec.decode(body, ExperimentsCheck.class);
        assertEquals("2026-11-30T07:15:00Z", check.at());
    }

    @Test
    void theFanoutWorkerWritesAndDeploysTheExperimentsProfileAndDoesNotPollIt() {
        Template template = SynthesizedStages.stage("prod").template();
        List<Map<String, Object>> statements = Templates.statements(template, GlintResources.FANOUT_WORKER_FUNCTION);
        Map<String, Object> sids = new java.util.HashMap<>();
        statements.stream().filter(s -> s.containsKey("Sid")).forEach(s -> sids.put(s.get("Sid").toString(), s.get("Action")));
        assertEquals(List.of("appconfig:CreateHostedConfigurationVersion", "appconfig:ListHostedConfigurationVersions"),
                sids.get("WriteExperimentVersions"));
        assertEquals("appconfig:GetHostedConfigurationVersion", sids.get("ReadExperimentVersions"));
        assertEquals("appconfig:StartDeployment", sids.get("DeployExperiments"));
        assertFalse(sids.containsKey("ReadExperiments"), "the fan-out worker serves no experiment, so it does not poll them");
    }
}
