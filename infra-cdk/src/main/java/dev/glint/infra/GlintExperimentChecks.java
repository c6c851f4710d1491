package dev.glint.infra;

import dev.glint.shared.messages.ExperimentsCheck;
import dev.glint.shared.resources.GlintResources;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The experiments' automatic stop: EventBridge Scheduler puts an {@code experiments.check} message on
 * the fan-out queue every {@link #EVERY}, with a role that may only send to that queue; the fan-out
 * worker checks each running experiment and stops a broken one through AppConfig (its rights are in
 * {@link GlintExperimentConfig}). The queue's retries, dead-letter queue and alarms cover the check.
 */
final class GlintExperimentChecks extends Construct {

    /** How often the running experiments are checked. */
    static final String EVERY = "rate(15 minutes)";

    private final Role schedulerRole;
    private final CfnSchedule schedule;

    GlintExperimentChecks(Construct scope, String id, DataResources data) {
        super(scope, id);
        Queue fanout = data.queue(GlintResources.FANOUT_QUEUE.logicalName());
        schedulerRole = Role.Builder.create(this, "SchedulerRole")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com", ServicePrincipalOpts.builder()
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))).build()))
                .description("EventBridge Scheduler: may only put experiments.check messages on the fan-out queue")
                .build();
        schedulerRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(fanout.getQueueArn()))
                .build());
        schedule = CfnSchedule.Builder.create(this, "Check")
                .description("Glint experiments' automatic stop: a " + ExperimentsCheck.TYPE + " message on the fan-out queue")
                .scheduleExpression(EVERY)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(fanout.getQueueArn())
                        .roleArn(schedulerRole.getRoleArn())
                        .input(input())
                        // A check missed is made up by the next one: no point delivering one older than the interval.
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumEventAgeInSeconds(900).maximumRetryAttempts(5).build())
                        .build())
                .build();
    }

    /** The message body the schedule puts on the queue (the worker decodes it as any {@link ExperimentsCheck}). */
    static String input() {
        return "{\"type\":\"" + ExperimentsCheck.TYPE + "\",\"v\":" + ExperimentsCheck.VERSION
                + ",\"at\":\"<aws.scheduler.scheduled-time>\"}";
    }

    Role schedulerRole() {
        return schedulerRole;
    }

    CfnSchedule schedule() {
        return schedule;
    }
}
