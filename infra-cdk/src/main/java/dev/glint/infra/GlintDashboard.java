package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.LogQueryVisualizationType;
import software.amazon.awscdk.services.cloudwatch.LogQueryWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One dashboard per stage (CloudFormation names it): the API, the functions, the queues, the table,
 * and every alarm's state. Function graphs use the {@code live} alias, which is what users get.
 */
public final class GlintDashboard extends Construct {

    private static final Duration PERIOD = Duration.minutes(1);
    private static final int FULL = 24;
    private static final int THIRD = 8;

    private final Dashboard dashboard;

    public GlintDashboard(Construct scope, String id, StageSettings settings, DataResources data, GlintFunctions functions,
                          GlintApis apis, GlintAlarms alarms) {
        super(scope, id);
        dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        HttpStage live = apis.liveStage();
        HttpStage preview = apis.previewStage();

        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# Glint " + settings.name() + "\nLive API requests, latency and errors; functions by their `live` "
                        + "alias; queues, dead letters and the table. Responses carry `x-glint-version`, the version "
                        + "that served them.")
                .width(FULL).height(2).build());
        dashboard.addWidgets(
                graph("API requests", THIRD, List.of(
                        label(live.metricCount(sum()), "live"),
                        label(preview.metricCount(sum()), "preview"))),
                graph("API latency (ms)", THIRD, List.of(
                        label(live.metricLatency(stat("p50")), "p50"),
                        label(live.metricLatency(stat("p90")), "p90"),
                        label(live.metricLatency(stat("p99")), "p99"))),
                graph("API errors", THIRD, List.of(
                        label(live.metricClientError(sum()), "4xx"),
                        label(live.metricServerError(sum()), "5xx"))));

        List<GlintFunctions.Deployed> all = functions.all();
        dashboard.addWidgets(
                graph("Function duration p99 (ms)", THIRD, perFunction(all, (f, o) -> f.live().metricDuration(o), "p99")),
                graph("Concurrent executions", THIRD, perFunction(all,
                        (f, o) -> f.function().metric("ConcurrentExecutions", o), "Maximum")),
                graph("Throttles", THIRD, perFunction(all, (f, o) -> f.live().metricThrottles(o), "Sum")));
        dashboard.addWidgets(
                graph("Invocations", THIRD, perFunction(all, (f, o) -> f.live().metricInvocations(o), "Sum")),
                graph("Errors", THIRD, perFunction(all, (f, o) -> f.live().metricErrors(o), "Sum")),
                LogQueryWidget.Builder.create()
                        .title("Cold starts (SnapStart restores and full inits)")
                        .logGroupNames(all.stream().map(f -> f.logs().getLogGroupName()).toList())
                        // REPORT lines name a SnapStart restore or a full init; warm invocations name neither.
                        .queryLines(List.of(
                                "filter @type = \"REPORT\"",
                                "parse @message /Restore Duration: (?<restoreMs>[0-9.]+) ms/",
                                "stats count(restoreMs) as restores, count(@initDuration) as inits, "
                                        + "avg(restoreMs) as avgRestoreMs by bin(5m)"))
                        .view(LogQueryVisualizationType.LINE)
                        .width(THIRD).height(6).build());

        List<IMetric> depth = new ArrayList<>();
        List<IMetric> age = new ArrayList<>();
        List<IMetric> deadLetters = new ArrayList<>();
        for (QueueSpec queue : GlintResources.QUEUES) {
            depth.add(label(data.queue(queue.logicalName()).metricApproximateNumberOfMessagesVisible(stat("Maximum")), queue.logicalName()));
            age.add(label(data.queue(queue.logicalName()).metricApproximateAgeOfOldestMessage(stat("Maximum")), queue.logicalName()));
            deadLetters.add(label(data.queue(queue.dlqLogicalName()).metricApproximateNumberOfMessagesVisible(stat("Maximum")),
                    queue.dlqLogicalName()));
        }
        String failures = GlintResources.STREAM_CONSUMER.onFailure().logicalName();
        deadLetters.add(label(data.queue(failures).metricApproximateNumberOfMessagesVisible(stat("Maximum")), failures));
        dashboard.addWidgets(
                graph("Queue depth", THIRD, depth),
                graph("Oldest message (s)", THIRD, age),
                graph("Dead letters", THIRD, deadLetters));

        var table = data.table();
        dashboard.addWidgets(
                graph("DynamoDB throttle events", THIRD, List.of(
                        label(table.metric("ReadThrottleEvents", sum()), "reads"),
                        label(table.metric("WriteThrottleEvents", sum()), "writes"))),
                graph("DynamoDB consumed capacity", THIRD, List.of(
                        label(table.metricConsumedReadCapacityUnits(sum()), "read units"),
                        label(table.metricConsumedWriteCapacityUnits(sum()), "write units"))),
                graph("Stream processor iterator age (ms)", THIRD, List.of(label(
                        functions.function(GlintResources.STREAM_CONSUMER.function()).function().metric("IteratorAge", stat("Maximum")),
                        "iterator age"))));

        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(alarms.all().stream().map(alarm -> (IAlarm) alarm).toList())
                .width(FULL)
                .build());
    }

    private static List<IMetric> perFunction(List<GlintFunctions.Deployed> functions,
                                             BiFunction<GlintFunctions.Deployed, MetricOptions, Metric> metric, String statistic) {
        return functions.stream().map(f -> (IMetric) metric.apply(f, MetricOptions.builder()
                .statistic(statistic).period(PERIOD).label(f.spec().name()).build())).toList();
    }

    private static GraphWidget graph(String title, int width, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(width).height(6).build();
    }

    private static MetricOptions sum() {
        return stat("Sum");
    }

    private static MetricOptions stat(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).build();
    }

    private static IMetric label(Metric metric, String label) {
        return metric.with(MetricOptions.builder().label(label).build());
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
