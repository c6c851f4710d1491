package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.config.DigestSettings;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Email digests in the template: a daily and a Monday schedule put digest.run on the fan-out queue
 * with a role that may only send to it; the fan-out worker may send mail as the stage's sender only,
 * and knows the sender and the app URL; beta and prod refuse placeholders.
 */
class DigestScheduleTest {

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    private static String fanoutQueueId(Template template) {
        return Templates.logicalId(template, "AWS::SQS::Queue", Map.of(
                "VisibilityTimeout", GlintResources.FANOUT_QUEUE.visibilityTimeoutSeconds(), "RedrivePolicy", Match.anyValue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void aDailyAndAMondayScheduleSendDigestRunToTheFanoutQueue(String stage) {
        Template template = template(stage);
        String queue = fanoutQueueId(template);
        // two digest schedules, and the experiments' check (ExperimentChecksTest)
        template.resourceCountIs("AWS::Scheduler::Schedule", 3);
        for (var expected : Map.of("daily", "cron(0 7 * * ? *)", "weekly", "cron(0 7 ? * MON *)").entrySet()) {
            template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                    "ScheduleExpression", expected.getValue(),
                    "ScheduleExpressionTimezone", "UTC",
                    "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                    "State", "ENABLED",
                    "Target", Match.objectLike(Map.of(
                            "Arn", Map.of("Fn::GetAtt", List.of(queue, "Arn")),
                            "Input", GlintDigests.input(expected.getKey())))));
        }
        // The scheduler's roles may put messages on the fan-out queue and do nothing else.
        template.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Match.objectLike(Map.of(
                "Statement", List.of(Match.objectLike(Map.of("Principal", Map.of("Service", "scheduler.amazonaws.com"))))))));
        var policies = template.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", "sqs:SendMessage", "Effect", "Allow",
                        "Resource", Map.of("Fn::GetAtt", List.of(queue, "Arn")))))))));
        assertEquals(2, policies.size(), "one policy with the one statement per scheduler role (digests, experiment checks): "
                + policies.keySet());
    }

    @Test
    void theSchedulesInputIsADigestRunTheWorkerDecodes() throws Exception {
        for (String frequency : List.of("daily", "weekly")) {
            String body = GlintDigests.input(frequency).replace("<aws.scheduler.scheduled-time>", "2026-11-30T07:00:00Z");
            DigestRun run = MessageCodec.decode(body, DigestRun.class);
            assertEquals(frequency, run.frequency());
            assertEquals("2026-11-30T07:00:00Z", run.at());
            JsonNode json = new ObjectMapper().readTree(body);
            assertEquals(DigestRun.TYPE, json.path("type").asText());
        }
    }

    @Test
    void theFanoutWorkerSendsMailAsTheStagesSenderOnlyAndKnowsItAndTheAppUrl() {
        Template template = template("prod");
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", GlintResources.FANOUT_WORKER_FUNCTION.handlerClass() + "::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        DigestSettings.ENV_MAIL_FROM, SynthesizedStages.DIGEST_FROM,
                        DigestSettings.ENV_APP_URL, "https://glint.photos",
                        DigestSettings.ENV_UNSUBSCRIBE_SECRET, Match.anyValue())))));
        // The api checks what the worker signs: both get the one unsubscribe secret, resolved at deploy time.
        String secret = Templates.logicalId(template, "AWS::SecretsManager::Secret", Map.of(
                "Description", Match.stringLikeRegexp(".*unsubscribe links.*")));
        Object reference = Map.of("Fn::Join", List.of("", List.of("{{resolve:secretsmanager:", Map.of("Ref", secret), ":SecretString:::}}")));
        for (var spec : List.of(GlintResources.API_FUNCTION, GlintResources.FANOUT_WORKER_FUNCTION)) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handlerClass() + "::handleRequest",
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(DigestSettings.ENV_UNSUBSCRIBE_SECRET, reference)))));
        }
        List<Map<String, Object>> ses = Templates.statements(template, GlintResources.FANOUT_WORKER_FUNCTION).stream()
                .filter(s -> String.valueOf(s.get("Action")).contains("ses:")).toList();
        assertEquals(1, ses.size(), ses.toString());
        assertEquals(List.of("ses:SendEmail", "ses:SendRawEmail"), ses.get(0).get("Action"));
        assertEquals(Map.of("StringEquals", Map.of("ses:FromAddress", SynthesizedStages.DIGEST_FROM)), ses.get(0).get("Condition"));
        String resources = String.valueOf(ses.get(0).get("Resource"));
        assertTrue(resources.contains(":identity/" + SynthesizedStages.DIGEST_FROM) && resources.contains(":identity/glint.photos"), resources);
        for (var function : List.of(GlintResources.API_FUNCTION, GlintResources.MEDIA_WORKER_FUNCTION, GlintResources.STREAM_PROCESSOR_FUNCTION)) {
            assertTrue(Templates.statements(template, function).stream().noneMatch(s -> String.valueOf(s.get("Action")).contains("ses:")),
                    function.name() + " sends no mail");
        }
    }

    @Test
    void betaAndProdRefusePlaceholderDigestSettings() {
        for (String stage : List.of("beta", "prod")) {
            StageSettings settings = SynthesizedStages.settings(stage);
            var missing = assertThrows(IllegalArgumentException.class,
                    () -> settings.withDigests(StageSettings.Digests.none()).checkedDigests());
            assertTrue(missing.getMessage().contains("-c digestFromEmail=") && missing.getMessage().contains("-c appUrl="), missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> settings.withDigests(new StageSettings.Digests(
                    Optional.of("digest@glint.example"), Optional.of("https://glint.photos"))).checkedDigests());
            assertThrows(IllegalArgumentException.class, () -> settings.withDigests(new StageSettings.Digests(
                    Optional.of("digest@glint.photos"), Optional.of("http://localhost:8080"))).checkedDigests());
        }
        assertEquals(Optional.of("https://dev.glint.example"), StageSettings.forStage("dev").checkedDigests().appUrl(),
                "dev may use placeholders");
    }
}
