package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stage's alarms, all notifying one topic. Two kinds:
 * <ul>
 *   <li><b>rollback alarms</b>, per function, which CodeDeploy watches while it shifts traffic, all on
 *       the <em>new</em> version's own signals: its errors and p99 duration (Lambda's
 *       {@code ExecutedVersion} dimension on the alias), and what it reports itself per version in
 *       embedded metric format (namespace {@code Glint}, dimensions {@code FunctionName} and
 *       {@code FunctionVersion}): the api's 5xx rate and p99 latency, the workers' failed items, the
 *       stream processor's failed records; and a growing dead-letter queue for each consumer. Any of
 *       them in alarm stops the deployment and moves {@code live} back;</li>
 *   <li><b>operational alarms</b>: the live API's 5xx rate and p99 latency (all versions), a dead-letter queue that is not empty, old messages waiting,
 *       throttled functions, a stream falling behind, DynamoDB throttling.</li>
 * </ul>
 * No alarm has a fixed name: CloudFormation names them, CodeDeploy refers to them by reference.
 */
public final class GlintAlarms extends Construct {

    private Alarm api5xxRate;

    /** The functions' per-version signals, as lambda-support's {@code VersionMetrics} writes them. */
    static final String NAMESPACE = "Glint";
    static final String DIMENSION_FUNCTION = "FunctionName";
    static final String DIMENSION_VERSION = "FunctionVersion";
    static final String REQUESTS = "Requests";
    static final String SERVER_ERRORS = "ServerErrors";
    static final String LATENCY = "Latency";
    static final String FAILED_ITEMS = "FailedItems";
    static final String FAILED_RECORDS = "FailedRecords";

    static final Duration ONE_MINUTE = Duration.minutes(1);
    static final Duration FIVE_MINUTES = Duration.minutes(5);
    /** What a user would call slow for an API request (SnapStart restores included). */
    static final int API_P99_LIMIT_MS = 3_000;
    /** A worker whose p99 nears its timeout will soon time out: 80 % of it. */
    static final double WORKER_P99_SHARE_OF_TIMEOUT = 0.8;
    /** A message older than this in a work queue means the workers are not keeping up. */
    static final int OLDEST_MESSAGE_LIMIT_SECONDS = 15 * 60;
    /** A stream processor this far behind the table shows stale counters and feeds. */
    static final int ITERATOR_AGE_LIMIT_MS = 5 * 60 * 1000;

    private final Topic topic;
    private final Map<String, List<Alarm>> rollback = new LinkedHashMap<>();
    private final List<Alarm> all = new ArrayList<>();

    public GlintAlarms(Construct scope, String id, StageSettings settings, DataResources data, GlintFunctions functions,
                       GlintApis apis) {
        super(scope, id);
        topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Glint " + settings.name() + " alarms")
                .enforceSsl(true)
                .build();
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        NagSuppressions.addResourceSuppressions(topic, List.of(Nag.rule("AwsSolutions-SNS2",
                "Alarm notifications carry alarm names and states only. CloudWatch cannot publish to a topic "
                        + "encrypted with the AWS managed SNS key, and a customer managed key per stage costs more "
                        + "than the data it would protect.")));

        for (GlintFunctions.Deployed function : functions.all()) {
            String name = function.spec().name();
            rollback.put(name, new ArrayList<>());
            rollbackAlarm(name, Alarm.Builder.create(this, prefix(name) + "NewVersionErrors")
                    .alarmDescription("The new version of " + name + " fails invocations while CodeDeploy shifts traffic to it; "
                            + "stops the deployment and rolls back")
                    .metric(newVersionMetric(function, "Errors", "Sum"))
                    .threshold(0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .evaluationPeriods(1));
            rollbackAlarm(name, Alarm.Builder.create(this, prefix(name) + "NewVersionP99Duration")
                    .alarmDescription("The new version of " + name + " is slow (p99 duration over " + latencyLimitMillis(function.spec())
                            + " ms); stops the deployment and rolls back")
                    .metric(newVersionMetric(function, "Duration", "p99"))
                    .threshold(latencyLimitMillis(function.spec()))
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .evaluationPeriods(3)
                    .datapointsToAlarm(2));
            operationalAlarm(Alarm.Builder.create(this, prefix(name) + "Throttles")
                    .alarmDescription(name + " is throttled: requests or batches wait or fail")
                    .metric(function.function().metricThrottles(MetricOptions.builder().period(FIVE_MINUTES).statistic("Sum").build()))
                    .threshold(0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .evaluationPeriods(1));
        }

        String api = GlintResources.API_FUNCTION.name();
        GlintFunctions.Deployed apiFunction = functions.function(api);
        // The new version's own answers (its embedded metric lines): a canary that answers 500 from a
        // caught exception fails no invocation, and the stage's API metrics mix it with the old version.
        rollbackAlarm(api, Alarm.Builder.create(this, "ApiNewVersion5xxRate")
                .alarmDescription("More than " + settings.api5xxRatePercent() + " % of the requests the new api version "
                        + "answers are 5xx, in 2 of 3 minutes; stops the deployment and rolls back")
                .metric(MathExpression.Builder.create()
                        .expression("IF(requests > 0, 100 * errors / requests, 0)")
                        .usingMetrics(new TreeMap<>(Map.of(
                                "errors", versionSignal(apiFunction, SERVER_ERRORS, "Sum"),
                                "requests", versionSignal(apiFunction, REQUESTS, "Sum"))))
                        .label("new version 5xx %")
                        .period(ONE_MINUTE)
                        .build())
                .threshold(settings.api5xxRatePercent())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2));
        rollbackAlarm(api, Alarm.Builder.create(this, "ApiNewVersionP99Latency")
                .alarmDescription("The new api version's p99 latency is over " + API_P99_LIMIT_MS
                        + " ms in 2 of 3 minutes; stops the deployment and rolls back")
                .metric(versionSignal(apiFunction, LATENCY, "p99"))
                .threshold(API_P99_LIMIT_MS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2));
        for (QueueSpec queue : GlintResources.QUEUES) {
            GlintFunctions.Deployed worker = functions.function(queue.consumerFunction());
            rollbackAlarm(queue.consumerFunction(), Alarm.Builder.create(this, prefix(queue.consumerFunction()) + "NewVersionFailedItems")
                    .alarmDescription("The new version of " + queue.consumerFunction() + " fails " + queue.logicalName()
                            + " messages in " + CanaryBake.DATAPOINTS + " of " + CanaryBake.evaluationPeriods(queue)
                            + " minutes (a failure that recurs after the retry); stops the deployment and rolls back")
                    .metric(versionSignal(worker, FAILED_ITEMS, "Sum"))
                    .threshold(1)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .evaluationPeriods(CanaryBake.evaluationPeriods(queue))
                    .datapointsToAlarm(CanaryBake.DATAPOINTS));
        }
        String streamFunction = GlintResources.STREAM_CONSUMER.function();
        rollbackAlarm(streamFunction, Alarm.Builder.create(this, prefix(streamFunction) + "NewVersionFailedRecords")
                .alarmDescription("The new version of " + streamFunction + " cannot apply stream records in 2 of 3 minutes "
                        + "(Lambda retries a failed batch within seconds); stops the deployment and rolls back")
                .metric(versionSignal(functions.function(streamFunction), FAILED_RECORDS, "Sum"))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2));

        // The whole stage's answers, old and new versions together: for operators, not for rollback.
        var stage = apis.liveStage();
        api5xxRate = finish(Alarm.Builder.create(this, "Api5xxRate")
                .alarmDescription("More than " + settings.api5xxRatePercent() + " % of live API requests answer 5xx")
                .metric(MathExpression.Builder.create()
                        .expression("IF(requests > 0, 100 * errors / requests, 0)")
                        .usingMetrics(new TreeMap<>(Map.of(
                                "errors", stage.metricServerError(MetricOptions.builder().period(ONE_MINUTE).statistic("Sum").build()),
                                "requests", stage.metricCount(MetricOptions.builder().period(ONE_MINUTE).statistic("Sum").build()))))
                        .label("5xx %")
                        .period(ONE_MINUTE)
                        .build())
                .threshold(settings.api5xxRatePercent())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2));
        operationalAlarm(Alarm.Builder.create(this, "ApiP99Latency")
                .alarmDescription("Live API p99 latency over " + API_P99_LIMIT_MS + " ms")
                .metric(stage.metricLatency(MetricOptions.builder().period(ONE_MINUTE).statistic("p99").build()))
                .threshold(API_P99_LIMIT_MS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2));

        for (QueueSpec queue : GlintResources.QUEUES) {
            watchDeadLetters(queue.consumerFunction(), queue.dlqLogicalName(), data.queue(queue.dlqLogicalName()));
            IQueue work = data.queue(queue.logicalName());
            operationalAlarm(Alarm.Builder.create(this, prefix(queue.logicalName()) + "OldestMessage")
                    .alarmDescription("Messages wait in the " + queue.logicalName() + " queue for more than "
                            + OLDEST_MESSAGE_LIMIT_SECONDS + " s: " + queue.consumerFunction() + " is not keeping up")
                    .metric(work.metricApproximateAgeOfOldestMessage(MetricOptions.builder().period(FIVE_MINUTES).statistic("Maximum").build()))
                    .threshold(OLDEST_MESSAGE_LIMIT_SECONDS)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                    .evaluationPeriods(1));
        }
        var stream = GlintResources.STREAM_CONSUMER;
        watchDeadLetters(stream.function(), stream.onFailure().logicalName(), data.queue(stream.onFailure().logicalName()));
        operationalAlarm(Alarm.Builder.create(this, "StreamIteratorAge")
                .alarmDescription("The stream processor is more than " + ITERATOR_AGE_LIMIT_MS / 60_000
                        + " minutes behind the table: counters and feeds are stale")
                .metric(functions.function(stream.function()).function().metric("IteratorAge",
                        MetricOptions.builder().period(FIVE_MINUTES).statistic("Maximum").build()))
                .threshold(ITERATOR_AGE_LIMIT_MS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1));
        operationalAlarm(Alarm.Builder.create(this, "TableThrottles")
                .alarmDescription("DynamoDB throttles reads or writes on the table (a hot partition on demand)")
                .metric(MathExpression.Builder.create()
                        .expression("reads + writes")
                        .usingMetrics(new TreeMap<>(Map.of(
                                "reads", data.table().metric("ReadThrottleEvents", MetricOptions.builder().period(FIVE_MINUTES).statistic("Sum").build()),
                                "writes", data.table().metric("WriteThrottleEvents", MetricOptions.builder().period(FIVE_MINUTES).statistic("Sum").build()))))
                        .label("throttle events")
                        .period(FIVE_MINUTES)
                        .build())
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1));
    }

    /**
     * Two alarms per dead-letter queue. The rollback alarm fires when it <em>grows</em>, not when it is
     * non-empty: an old poison message must not roll back the very deployment that fixes it.
     * FILL(…, 0) makes the first message into an idle queue (which publishes no metric) count too.
     */
    private void watchDeadLetters(String consumer, String logicalName, IQueue queue) {
        IMetric depth = queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder().period(ONE_MINUTE).statistic("Maximum").build());
        rollbackAlarm(consumer, Alarm.Builder.create(this, prefix(logicalName) + "Growing")
                .alarmDescription("Messages arrive in " + logicalName + " (" + consumer + " gave up on them); "
                        + "stops a " + consumer + " deployment and rolls back")
                .metric(MathExpression.Builder.create()
                        .expression("DIFF(FILL(depth, 0))")
                        .usingMetrics(Map.of("depth", depth))
                        .label("new dead letters")
                        .period(ONE_MINUTE)
                        .build())
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1));
        operationalAlarm(Alarm.Builder.create(this, prefix(logicalName) + "NotEmpty")
                .alarmDescription(logicalName + " holds messages: inspect them, fix the cause, then redrive")
                .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder().period(FIVE_MINUTES).statistic("Maximum").build()))
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1));
    }

    /**
     * A metric of the alias's invocations served by the version this deploy published: during a
     * canary, 10 % of the traffic, and nothing of the old version's.
     */
    private static Metric newVersionMetric(GlintFunctions.Deployed function, String metricName, String statistic) {
        String functionName = function.function().getFunctionName();
        // Sorted maps throughout: the template must be the same on every synth, or every deploy shows a diff.
        return Metric.Builder.create()
                .namespace("AWS/Lambda")
                .metricName(metricName)
                .dimensionsMap(new TreeMap<>(Map.of(
                        "FunctionName", functionName,
                        "Resource", functionName + ":" + GlintFunctions.LIVE_ALIAS,
                        "ExecutedVersion", function.version().getVersion())))
                .statistic(statistic)
                .period(ONE_MINUTE)
                .build();
    }

    /**
     * One of the function's own per-version signals (lambda-support {@code VersionMetrics}, written as
     * embedded metric format lines), for the version this deploy published: the alias shifts to it,
     * and only its invocations carry its number.
     */
    static Metric versionSignal(GlintFunctions.Deployed function, String metricName, String statistic) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(metricName)
                .dimensionsMap(new TreeMap<>(Map.of(
                        DIMENSION_FUNCTION, function.function().getFunctionName(),
                        DIMENSION_VERSION, function.version().getVersion())))
                .statistic(statistic)
                .period(ONE_MINUTE)
                .build();
    }

    static int latencyLimitMillis(FunctionSpec spec) {
        if (spec.equals(GlintResources.API_FUNCTION)) {
            return API_P99_LIMIT_MS;
        }
        return (int) (spec.timeoutSeconds() * 1000 * WORKER_P99_SHARE_OF_TIMEOUT);
    }

    private void rollbackAlarm(String function, Alarm.Builder builder) {
        Alarm alarm = finish(builder);
        rollback.get(function).add(alarm);
    }

    /** The live API's 5xx rate (all versions): also the rollback alarm of experiment deployments (GlintExperimentConfig). */
    public Alarm api5xxRate() {
        return api5xxRate;
    }

    private void operationalAlarm(Alarm.Builder builder) {
        finish(builder);
    }

    private Alarm finish(Alarm.Builder builder) {
        // No data means no traffic (or an idle queue): nothing is wrong.
        Alarm alarm = builder.treatMissingData(TreatMissingData.NOT_BREACHING).build();
        alarm.addAlarmAction(new SnsAction(topic));
        all.add(alarm);
        return alarm;
    }

    private static String prefix(String logicalName) {
        return DataResources.construct(logicalName);
    }

    /** The alarms that stop a deployment of {@code function} and roll it back. */
    public List<Alarm> rollbackAlarms(String function) {
        return List.copyOf(rollback.getOrDefault(function, List.of()));
    }

    public List<Alarm> all() {
        return List.copyOf(all);
    }

    public Topic topic() {
        return topic;
    }

}
