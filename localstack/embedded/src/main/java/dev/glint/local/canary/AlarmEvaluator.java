package dev.glint.local.canary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one alarm as CloudWatch does, on a clock that may run faster than the wall clock: the
 * alarm's period of {@code P} seconds lasts {@code P / speedup} real seconds here, so every period,
 * bake and evaluation window of a rehearsal shrinks by the same factor.
 *
 * <p>At each evaluation the last {@code EvaluationPeriods} complete periods are read (periods are
 * counted from the evaluator's origin, as CloudWatch counts them from the clock's minutes); each is a
 * datapoint, breaching or not, or missing when its metrics had no sample. The alarm is in {@code ALARM}
 * when at least {@code DatapointsToAlarm} of them breach, counting missing ones as the template's
 * {@code TreatMissingData} says: {@code breaching} as breaching, {@code notBreaching} as not;
 * {@code missing}: when every datapoint is missing the alarm is {@code INSUFFICIENT_DATA}, otherwise the
 * present ones decide; {@code ignore}: when every datapoint is missing the alarm keeps its state.
 */
public final class AlarmEvaluator {

    public enum State { OK, ALARM, INSUFFICIENT_DATA }

    /** One evaluation: the state, and the datapoints from oldest to newest (null = missing). */
    public record Evaluation(State state, List<Double> datapoints) {
    }

    private final AlarmDefinition alarm;
    private final MetricSource source;
    private final long originMillis;
    private final double speedup;
    private final MetricMath.Node expression;
    private State state = State.INSUFFICIENT_DATA;

    public AlarmEvaluator(AlarmDefinition alarm, MetricSource source, long originMillis, double speedup) {
        if (speedup <= 0) {
            throw new IllegalArgumentException("speedup must be positive");
        }
        this.alarm = alarm;
        this.source = source;
        this.originMillis = originMillis;
        this.speedup = speedup;
        AlarmDefinition.Query returned = alarm.query(alarm.returned());
        this.expression = returned instanceof AlarmDefinition.Expression e ? MetricMath.parse(alarm.name(), e.expression()) : null;
    }

    public AlarmDefinition alarm() {
        return alarm;
    }

    /** How long one of the alarm's periods lasts on the wall clock, in milliseconds. */
    public long periodMillis() {
        return Math.max(1, Math.round(alarm.periodSeconds() * 1000 / speedup));
    }

    /** The state from the periods completed by {@code nowMillis}. */
    public Evaluation evaluate(long nowMillis) {
        long period = periodMillis();
        long completed = Math.floorDiv(nowMillis - originMillis, period);
        List<Double> datapoints = new ArrayList<>();
        for (long index = completed - alarm.evaluationPeriods(); index < completed; index++) {
            datapoints.add(index < 0 ? null : datapoint(originMillis + index * period, period));
        }
        state = decide(datapoints);
        return new Evaluation(state, java.util.Collections.unmodifiableList(datapoints));
    }

    State decide(List<Double> datapoints) {
        int breaching = 0;
        int present = 0;
        for (Double value : datapoints) {
            if (value == null) {
                if (alarm.missingData() == AlarmDefinition.MissingData.breaching) {
                    breaching++;
                }
                continue;
            }
            present++;
            if (alarm.comparison().breaches(value, alarm.threshold())) {
                breaching++;
            }
        }
        if (present == 0) {
            switch (alarm.missingData()) {
                case missing -> {
                    return State.INSUFFICIENT_DATA;
                }
                case ignore -> {
                    return state;
                }
                default -> {
                }
            }
        }
        return breaching >= alarm.datapointsToAlarm() ? State.ALARM : State.OK;
    }

    /** The returned query's value over one period, or null when it is missing. */
    Double datapoint(long fromMillis, long periodMillis) {
        if (expression == null) {
            return stat((AlarmDefinition.MetricStat) alarm.query(alarm.returned()), fromMillis, periodMillis);
        }
        Map<String, Double> values = new HashMap<>();
        for (String id : MetricMath.ids(expression)) {
            AlarmDefinition.Query query = alarm.query(id);
            if (!(query instanceof AlarmDefinition.MetricStat stat)) {
                throw new UnsupportedAlarm(alarm.name() + ": an expression over another expression (" + id + ") is not evaluated locally");
            }
            if (stat.periodSeconds() != alarm.periodSeconds()) {
                throw new UnsupportedAlarm(alarm.name() + ": " + id + " has a period of its own (" + stat.periodSeconds() + " s)");
            }
            values.put(id, stat(stat, fromMillis, periodMillis));
        }
        return expression.eval(values);
    }

    private Double stat(AlarmDefinition.MetricStat stat, long fromMillis, long periodMillis) {
        List<Double> samples = source.samples(stat.namespace(), stat.metricName(), stat.dimensions(), fromMillis, fromMillis + periodMillis)
                .stream().map(MetricSource.Sample::value).toList();
        return Statistics.of(stat.stat(), samples);
    }
}
