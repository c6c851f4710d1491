package dev.glint.local.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlarmEvaluatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DIMS = Map.of("FunctionName", "api", "FunctionVersion", "2");

    /** Samples by metric name; the test puts them in 60 s periods from time 0 (speedup 1). */
    private final List<Object[]> recorded = new ArrayList<>();
    private final MetricSource source = (namespace, name, dimensions, from, to) -> recorded.stream()
            .filter(r -> r[0].equals(namespace + "/" + name) && r[1].equals(dimensions))
            .filter(r -> (long) r[2] >= from && (long) r[2] < to)
            .map(r -> new MetricSource.Sample((long) r[2], (double) r[3])).toList();

    private void record(String metric, int minute, double... values) {
        for (double value : values) {
            recorded.add(new Object[]{"Glint/" + metric, DIMS, minute * 60_000L + 1_000, value});
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String RATE = """
            {'ComparisonOperator':'GreaterThanThreshold','EvaluationPeriods':3,'DatapointsToAlarm':2,'Threshold':5,
             'TreatMissingData':'%s',
             'Metrics':[{'Id':'expr_1','Expression':'IF(requests > 0, 100 * errors / requests, 0)','Label':'5xx %%'},
               {'Id':'errors','ReturnData':false,'MetricStat':{'Period':60,'Stat':'Sum','Metric':{'Namespace':'Glint','MetricName':'ServerErrors',
                 'Dimensions':[{'Name':'FunctionName','Value':{'Ref':'Fn'}},{'Name':'FunctionVersion','Value':'2'}]}}},
               {'Id':'requests','ReturnData':false,'MetricStat':{'Period':60,'Stat':'Sum','Metric':{'Namespace':'Glint','MetricName':'Requests',
                 'Dimensions':[{'Name':'FunctionName','Value':{'Ref':'Fn'}},{'Name':'FunctionVersion','Value':'2'}]}}}]}""";

    private static final String LATENCY = """
            {'ComparisonOperator':'GreaterThanThreshold','EvaluationPeriods':3,'DatapointsToAlarm':2,'Threshold':3000,
             'TreatMissingData':'%s','Namespace':'Glint','MetricName':'Latency','ExtendedStatistic':'p99','Period':60,
             'Dimensions':[{'Name':'FunctionName','Value':{'Ref':'Fn'}},{'Name':'FunctionVersion','Value':'2'}]}""";

    private static AlarmDefinition alarm(String template, String missing) {
        return AlarmDefinition.read("A", json(template.formatted(missing)), v -> v.isTextual() ? v.asText() : "api");
    }

    private AlarmEvaluator evaluator(AlarmDefinition alarm) {
        return new AlarmEvaluator(alarm, source, 0, 1);
    }

    private void requests(int minute, int total, int errors) {
        double[] ones = new double[total];
        Arrays.fill(ones, 1);
        record("Requests", minute, ones);
        double[] errorValues = new double[total];
        Arrays.fill(errorValues, 0, errors, 1);
        record("ServerErrors", minute, errorValues);
    }

    @Test
    void rateAlarmsWhenTwoOfThreeMinutesAreOverTheThreshold() {
        requests(0, 100, 10);
        requests(1, 100, 1);
        requests(2, 100, 20);
        var evaluation = evaluator(alarm(RATE, "notBreaching")).evaluate(3 * 60_000L);
        assertEquals(Arrays.asList(10.0, 1.0, 20.0), evaluation.datapoints());
        assertEquals(AlarmEvaluator.State.ALARM, evaluation.state());
    }

    @Test
    void oneBadMinuteOfThreeDoesNotAlarm() {
        requests(0, 100, 10);
        requests(1, 100, 1);
        requests(2, 100, 5); // at the threshold, not over it
        assertEquals(AlarmEvaluator.State.OK, evaluator(alarm(RATE, "notBreaching")).evaluate(3 * 60_000L).state());
    }

    @Test
    void theIfExpressionAnswersZeroWhenAMinuteHasZeroRequests() {
        record("Requests", 0, 0, 0);
        record("ServerErrors", 0, 0, 0);
        var evaluation = evaluator(alarm(RATE, "missing")).evaluate(60_000L);
        assertEquals(Arrays.asList(null, null, 0.0), evaluation.datapoints());
    }

    @Test
    void aMinuteWithoutSamplesIsMissingAndItsTreatmentDecides() {
        requests(1, 10, 5);
        // One breaching datapoint and two missing ones: only "breaching" makes that 2 of 3.
        assertEquals(AlarmEvaluator.State.OK, evaluator(alarm(RATE, "notBreaching")).evaluate(3 * 60_000L).state());
        assertEquals(AlarmEvaluator.State.ALARM, evaluator(alarm(RATE, "breaching")).evaluate(3 * 60_000L).state());
        assertEquals(AlarmEvaluator.State.OK, evaluator(alarm(RATE, "missing")).evaluate(3 * 60_000L).state());
    }

    @Test
    void allMissingIsInsufficientDataOrKeepsTheStateWhenIgnored() {
        assertEquals(AlarmEvaluator.State.INSUFFICIENT_DATA, evaluator(alarm(RATE, "missing")).evaluate(3 * 60_000L).state());
        assertEquals(AlarmEvaluator.State.OK, evaluator(alarm(RATE, "notBreaching")).evaluate(3 * 60_000L).state());
        requests(0, 10, 5);
        requests(1, 10, 5);
        AlarmEvaluator ignoring = evaluator(alarm(RATE, "ignore"));
        assertEquals(AlarmEvaluator.State.ALARM, ignoring.evaluate(2 * 60_000L).state());
        // Minutes 2 to 4 hold nothing: the alarm stays where it was.
        assertEquals(AlarmEvaluator.State.ALARM, ignoring.evaluate(5 * 60_000L).state());
    }

    @Test
    void p99IsTheNearestRankOfTheMinutesSamples() {
        double[] fast = new double[99];
        Arrays.fill(fast, 20);
        record("Latency", 0, fast);
        record("Latency", 0, 5000); // 1 of 100: p99 is still 20
        record("Latency", 1, fast);
        record("Latency", 1, 5000, 5000); // 2 of 101: p99 is 5000
        record("Latency", 2, fast);
        record("Latency", 2, 5000, 5000);
        var evaluation = evaluator(alarm(LATENCY, "notBreaching")).evaluate(3 * 60_000L);
        assertEquals(Arrays.asList(20.0, 5000.0, 5000.0), evaluation.datapoints());
        assertEquals(AlarmEvaluator.State.ALARM, evaluation.state());
    }

    @Test
    void aCompressedClockShrinksThePeriodsByTheSameFactor() {
        // 60 s periods at a speedup of 60 last one second; samples 1.5 s after the origin are in the second period.
        recorded.add(new Object[]{"Glint/Latency", DIMS, 1_500L, 4000.0});
        recorded.add(new Object[]{"Glint/Latency", DIMS, 2_500L, 4000.0});
        AlarmEvaluator fast = new AlarmEvaluator(alarm(LATENCY, "notBreaching"), source, 0, 60);
        assertEquals(1000, fast.periodMillis());
        var evaluation = fast.evaluate(3_000);
        assertEquals(Arrays.asList(null, 4000.0, 4000.0), evaluation.datapoints());
        assertEquals(AlarmEvaluator.State.ALARM, evaluation.state());
    }

    @Test
    void anUnknownExpressionFunctionFailsLoudly() {
        String anomaly = RATE.replace("IF(requests > 0, 100 * errors / requests, 0)", "ANOMALY_DETECTION_BAND(errors, 2)");
        var e = assertThrows(UnsupportedAlarm.class, () -> alarm(anomaly, "notBreaching"));
        assertTrue(e.getMessage().contains("ANOMALY_DETECTION_BAND"), e.getMessage());
    }

    @Test
    void anUnknownStatisticFailsLoudly() {
        var e = assertThrows(UnsupportedAlarm.class, () -> alarm(LATENCY.replace("'p99'", "'tm99'"), "notBreaching"));
        assertTrue(e.getMessage().contains("tm99"), e.getMessage());
    }

    @Test
    void anUnknownComparisonFailsLoudly() {
        var e = assertThrows(UnsupportedAlarm.class,
                () -> alarm(LATENCY.replace("GreaterThanThreshold", "GreaterThanUpperThreshold"), "notBreaching"));
        assertTrue(e.getMessage().contains("GreaterThanUpperThreshold"), e.getMessage());
    }

    @Test
    void fillReplacesAMissingDatapoint() {
        var node = MetricMath.parse("A", "FILL(m, 0) + 1");
        assertEquals(1.0, node.eval(new java.util.HashMap<>()));
        assertEquals(3.0, node.eval(Map.of("m", 2.0)));
    }
}
