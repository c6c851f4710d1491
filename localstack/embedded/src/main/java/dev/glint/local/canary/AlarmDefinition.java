package dev.glint.local.canary;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An {@code AWS::CloudWatch::Alarm} as the template writes it: either one metric (namespace, name,
 * dimensions, {@code Statistic} or {@code ExtendedStatistic}, period) or metric math ({@code Metrics}:
 * metric stats and expressions, the one with {@code ReturnData} not false is the alarm's), and the
 * threshold, comparison, evaluation periods, datapoints to alarm and missing-data treatment.
 */
public record AlarmDefinition(String name, List<Query> queries, String returned, double threshold, Comparison comparison,
                              int evaluationPeriods, int datapointsToAlarm, MissingData missingData) {

    /** One entry of {@code Metrics}: a metric with a statistic and period, or an expression over other ids. */
    public sealed interface Query permits MetricStat, Expression {
        String id();
    }

    public record MetricStat(String id, String namespace, String metricName, Map<String, String> dimensions,
                             String stat, int periodSeconds) implements Query {
    }

    public record Expression(String id, String expression, int periodSeconds) implements Query {
    }

    public enum Comparison {
        GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold;

        boolean breaches(double value, double threshold) {
            return switch (this) {
                case GreaterThanThreshold -> value > threshold;
                case GreaterThanOrEqualToThreshold -> value >= threshold;
                case LessThanThreshold -> value < threshold;
                case LessThanOrEqualToThreshold -> value <= threshold;
            };
        }
    }

    public enum MissingData {
        missing, ignore, breaching, notBreaching
    }

    /** The period of the query the alarm returns (an expression's: its own, else the metrics'). */
    public int periodSeconds() {
        Query query = query(returned);
        if (query instanceof MetricStat stat) {
            return stat.periodSeconds();
        }
        Expression expression = (Expression) query;
        if (expression.periodSeconds() > 0) {
            return expression.periodSeconds();
        }
        return queries.stream().filter(q -> q instanceof MetricStat).mapToInt(q -> ((MetricStat) q).periodSeconds())
                .max().orElseThrow(() -> new UnsupportedAlarm(name + ": an expression with no metric has no period"));
    }

    Query query(String id) {
        return queries.stream().filter(q -> q.id().equals(id)).findFirst()
                .orElseThrow(() -> new UnsupportedAlarm(name + ": the expression names " + id + ", which is not in Metrics"));
    }

    /**
     * Reads the alarm's properties. {@code resolve} turns a dimension's value (a string, or an intrinsic
     * such as {@code Ref} or {@code Fn::GetAtt}) into the local value; it throws when it cannot.
     * Anything else the evaluator does not know (an anomaly band, a comparison against one) is refused.
     */
    public static AlarmDefinition read(String name, JsonNode properties, Function<JsonNode, String> resolve) {
        for (String unsupported : List.of("ThresholdMetricId", "EvaluateLowSampleCountPercentile", "Unit")) {
            if (properties.has(unsupported)) {
                throw new UnsupportedAlarm(name + ": " + unsupported + " is not evaluated locally");
            }
        }
        List<Query> queries = new ArrayList<>();
        String returned;
        if (properties.has("Metrics")) {
            returned = null;
            for (JsonNode metric : properties.get("Metrics")) {
                String id = text(name, metric, "Id");
                if (metric.has("Expression")) {
                    queries.add(new Expression(id, metric.get("Expression").asText(), metric.path("Period").asInt(0)));
                } else if (metric.has("MetricStat")) {
                    JsonNode stat = metric.get("MetricStat");
                    if (stat.has("Unit")) {
                        throw new UnsupportedAlarm(name + ": " + id + ".MetricStat.Unit is not evaluated locally");
                    }
                    JsonNode m = stat.get("Metric");
                    queries.add(new MetricStat(id, text(name, m, "Namespace"), text(name, m, "MetricName"),
                            dimensions(m.path("Dimensions"), resolve), text(name, stat, "Stat"), stat.path("Period").asInt()));
                } else {
                    throw new UnsupportedAlarm(name + ": metric " + id + " has neither MetricStat nor Expression");
                }
                if (metric.path("ReturnData").asBoolean(true)) {
                    if (returned != null) {
                        throw new UnsupportedAlarm(name + ": more than one query returns data (" + returned + ", " + id + ")");
                    }
                    returned = id;
                }
            }
            if (returned == null) {
                throw new UnsupportedAlarm(name + ": no query returns data");
            }
        } else {
            String stat;
            if (properties.has("ExtendedStatistic")) {
                stat = properties.get("ExtendedStatistic").asText();
            } else {
                stat = text(name, properties, "Statistic");
            }
            returned = "m1";
            queries.add(new MetricStat(returned, text(name, properties, "Namespace"), text(name, properties, "MetricName"),
                    dimensions(properties.path("Dimensions"), resolve), stat, properties.path("Period").asInt()));
        }
        Comparison comparison;
        try {
            comparison = Comparison.valueOf(text(name, properties, "ComparisonOperator"));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedAlarm(name + ": comparison " + properties.get("ComparisonOperator").asText()
                    + " is not evaluated locally");
        }
        int evaluationPeriods = properties.path("EvaluationPeriods").asInt();
        int datapoints = properties.path("DatapointsToAlarm").asInt(evaluationPeriods);
        MissingData missing;
        try {
            missing = MissingData.valueOf(properties.path("TreatMissingData").asText("missing"));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedAlarm(name + ": TreatMissingData " + properties.get("TreatMissingData").asText() + " is unknown");
        }
        if (!properties.has("Threshold")) {
            throw new UnsupportedAlarm(name + ": no Threshold");
        }
        AlarmDefinition alarm = new AlarmDefinition(name, List.copyOf(queries), returned, properties.get("Threshold").asDouble(),
                comparison, evaluationPeriods, datapoints, missing);
        for (Query query : queries) {
            if (query instanceof MetricStat stat) {
                Statistics.check(name, stat.stat());
            } else if (query instanceof Expression expression) {
                MetricMath.parse(name, expression.expression());
            }
        }
        if (evaluationPeriods < 1 || datapoints < 1 || datapoints > evaluationPeriods) {
            throw new UnsupportedAlarm(name + ": " + datapoints + " of " + evaluationPeriods + " datapoints cannot alarm");
        }
        alarm.periodSeconds();
        return alarm;
    }

    private static Map<String, String> dimensions(JsonNode dimensions, Function<JsonNode, String> resolve) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode dimension : dimensions) {
            out.put(dimension.get("Name").asText(), resolve.apply(dimension.get("Value")));
        }
        return out;
    }

    private static String text(String alarm, JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isValueNode()) {
            throw new UnsupportedAlarm(alarm + ": " + field + " is missing or not a plain value");
        }
        return value.asText();
    }
}
