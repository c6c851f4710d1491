package dev.glint.api;

import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Statistics;
import dev.glint.shared.experiments.Variant;

import java.util.List;
import java.util.Optional;

import static dev.glint.api.RouteSupport.requireProduct;

/**
 * The experiment routes, for product teams only (the {@code product} group of the caller's token):
 * the configured experiments, and each one's results per revision from its rollups (one query).
 */
final class ExperimentRoutes implements RouteGroup {

    /** A treatment whose two-sided p-value is below this is reported as significant. */
    static final double ALPHA = Statistics.ALPHA;

    record ExperimentsView(List<Experiments.Summary> items) {
    }

    /**
     * The current revision's results (its users only, its split checked against its weights), then
     * each earlier revision's, from before a change of weights or allocation.
     */
    record ResultsView(Experiments.Summary experiment, String revision, SampleRatioView sampleRatio,
                       List<MetricView> metrics, List<RevisionView> earlierRevisions) {
    }

    record RevisionView(String revision, List<Variant> variants, SampleRatioView sampleRatio, List<MetricView> metrics) {
    }

    record SampleRatioView(double chiSquare, int degreesOfFreedom, double pValue, boolean mismatch, double threshold) {
    }

    record MetricView(String metric, List<VariantView> variants, SampleSizeView sampleSize) {
    }

    /** The users per variant a fixed-horizon test needs ({@code perVariant} null until the control converts). */
    record SampleSizeView(double minimumDetectableLift, double controlRate, Long perVariant, boolean reached) {
    }

    /**
     * A variant's counts; a treatment also has its comparison with the control: the fixed-horizon
     * fields ({@code lift} is null when the control converted no one) and {@code sequential} (null
     * while neither arm's rate varies).
     */
    record VariantView(String name, boolean control, long exposures, long conversions, double rate,
                       Optional<IntervalView> difference, Optional<Optional<IntervalView>> lift, Optional<Double> z,
                       Optional<Double> pValue, Optional<Boolean> significant,
                       Optional<Optional<SequentialView>> sequential) {
    }

    record IntervalView(double value, double low95, double high95) {
    }

    /** The always-valid p-value and 95 % confidence sequence of the difference, valid at any look. */
    record SequentialView(double pValue, double low95, double high95, boolean significant) {
    }

    private final Experiments experiments;

    ExperimentRoutes(Experiments experiments) {
        this.experiments = experiments;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/experiments", request -> {
            requireProduct(request, "Experiments");
            return HttpResponse.json(200, new ExperimentsView(experiments.list()));
        }).add("GET", "/v1/experiments/{id}/results", request -> {
            requireProduct(request, "Experiments");
            return HttpResponse.json(200, results(experiments.results(request.pathParams().get("id"))));
        });
    }

    static ResultsView results(Experiments.Results results) {
        return new ResultsView(results.experiment(), results.revision(), sampleRatio(results.sampleRatio()),
                metrics(results.metrics()), results.earlierRevisions().stream().map(r -> new RevisionView(r.revision(),
                        r.weights().entrySet().stream().map(w -> new Variant(w.getKey(), w.getValue())).toList(),
                        sampleRatio(r.sampleRatio()), metrics(r.metrics()))).toList());
    }

    private static SampleRatioView sampleRatio(Statistics.SampleRatio srm) {
        return new SampleRatioView(srm.chiSquare(), srm.degrees(), srm.pValue(), srm.mismatch(), Statistics.SRM_THRESHOLD);
    }

    private static List<MetricView> metrics(List<Experiments.MetricResult> metrics) {
        return metrics.stream().map(metric -> new MetricView(metric.metric(),
                metric.variants().stream().map(ExperimentRoutes::variant).toList(), sampleSize(metric.sampleSize())))
                .toList();
    }

    private static SampleSizeView sampleSize(Experiments.SampleSize size) {
        return new SampleSizeView(size.minimumDetectableLift(), size.controlRate(), size.perVariant(), size.reached());
    }

    private static VariantView variant(Experiments.VariantResult variant) {
        Optional<Statistics.Comparison> c = Optional.ofNullable(variant.vsControl());
        return new VariantView(variant.name(), variant.control(), variant.exposures(), variant.conversions(),
                variant.rate(),
                c.map(x -> new IntervalView(x.difference(), x.differenceLow(), x.differenceHigh())),
                c.map(x -> Optional.ofNullable(x.lift()).map(lift -> new IntervalView(lift, x.liftLow(), x.liftHigh()))),
                c.map(Statistics.Comparison::z),
                c.map(Statistics.Comparison::pValue),
                c.map(x -> x.pValue() < ALPHA),
                c.map(x -> Optional.ofNullable(variant.sequential()).map(s -> new SequentialView(s.pValue(), s.low95(),
                        s.high95(), s.significant()))));
    }
}
