package dev.glint.infra;

import dev.glint.shared.config.DigestSettings;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.resources.GlintResources;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * Email digests: EventBridge Scheduler puts a {@code digest.run} message on the fan-out queue every
 * day (07:00 UTC) and every Monday (07:00 UTC, the weekly digest), with a role that may only send to
 * that queue; the fan-out worker pages through the opted-in users (its queue's retries, dead-letter
 * queue and canary alarms cover the job) and sends through SES as the stage's sender identity only.
 */
public final class GlintDigests extends Construct {

    /** When the schedules fire (UTC): the daily digest every day, the weekly one on Mondays. */
    static final String DAILY = "cron(0 7 * * ? *)";
    static final String WEEKLY = "cron(0 7 ? * MON *)";

    private final Role schedulerRole;
    private final Secret unsubscribeSecret;
    private final CfnSchedule daily;
    private final CfnSchedule weekly;

    public GlintDigests(Construct scope, String id, StageSettings settings, DataResources data, GlintFunctions functions) {
        super(scope, id);
        StageSettings.Digests digests = settings.checkedDigests();
        String from = digests.fromEmail().orElseThrow();
        Queue fanout = data.queue(GlintResources.FANOUT_QUEUE.logicalName());

        Function worker = functions.function(GlintResources.FANOUT_WORKER_FUNCTION.name()).function();
        worker.addEnvironment(DigestSettings.ENV_MAIL_FROM, from);
        worker.addEnvironment(DigestSettings.ENV_APP_URL, digests.appUrl().orElseThrow());
        // Unsubscribe links: signed by the worker, checked by the api, with a generated secret of their own
        // resolved at deploy time ({{resolve:secretsmanager:...}}), as the cursor secret is: never in the template.
        unsubscribeSecret = Secret.Builder.create(this, "UnsubscribeSecret")
                .description("Signs the unsubscribe links of Glint's email digests (" + DigestSettings.ENV_UNSUBSCRIBE_SECRET + ")")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(unsubscribeSecret, List.of(Nag.rule("AwsSolutions-SMG4",
                "The key only signs unsubscribe links, which expire in 30 days; rotating it would break the links of "
                        + "digests already sent. Rotate by hand with a deploy if it leaks.")));
        String secretValue = unsubscribeSecret.getSecretValue().unsafeUnwrap();
        worker.addEnvironment(DigestSettings.ENV_UNSUBSCRIBE_SECRET, secretValue);
        functions.function(GlintResources.API_FUNCTION.name()).function().addEnvironment(DigestSettings.ENV_UNSUBSCRIBE_SECRET, secretValue);
        String domain = from.substring(from.indexOf('@') + 1);
        // SES authorizes a send on the identity that verifies the sender: the address, or its domain. Either
        // way only this sender may appear in From.
        worker.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("ses:SendEmail", "ses:SendRawEmail"))
                .resources(List.of(identity(from), identity(domain)))
                .conditions(Map.of("StringEquals", Map.of("ses:FromAddress", from)))
                .build());

        schedulerRole = Role.Builder.create(this, "SchedulerRole")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com", software.amazon.awscdk.services.iam.ServicePrincipalOpts.builder()
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))).build()))
                .description("EventBridge Scheduler: may only put digest.run messages on the fan-out queue")
                .build();
        schedulerRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(fanout.getQueueArn()))
                .build());
        daily = schedule("DailyDigest", "daily", DAILY, fanout);
        weekly = schedule("WeeklyDigest", "weekly", WEEKLY, fanout);
    }

    private CfnSchedule schedule(String id, String frequency, String expression, Queue fanout) {
        return CfnSchedule.Builder.create(this, id)
                .description("Glint " + frequency + " email digests: a " + DigestRun.TYPE + " message on the fan-out queue")
                .scheduleExpression(expression)
                .scheduleExpressionTimezone("UTC")
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(fanout.getQueueArn())
                        .roleArn(schedulerRole.getRoleArn())
                        // The scheduled time, not the delivery time, names the period: a late or retried delivery keeps it.
                        .input(input(frequency))
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumEventAgeInSeconds(3600).maximumRetryAttempts(10).build())
                        .build())
                .build();
    }

    /** The message body the schedule puts on the queue (the worker decodes it as any {@link DigestRun}). */
    static String input(String frequency) {
        return "{\"type\":\"" + DigestRun.TYPE + "\",\"v\":" + DigestRun.VERSION + ",\"frequency\":\"" + frequency
                + "\",\"at\":\"<aws.scheduler.scheduled-time>\"}";
    }

    private static String identity(String name) {
        return "arn:" + Aws.PARTITION + ":ses:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":identity/" + name;
    }

    public Secret unsubscribeSecret() {
        return unsubscribeSecret;
    }

    public Role schedulerRole() {
        return schedulerRole;
    }

    public CfnSchedule daily() {
        return daily;
    }

    public CfnSchedule weekly() {
        return weekly;
    }
}
