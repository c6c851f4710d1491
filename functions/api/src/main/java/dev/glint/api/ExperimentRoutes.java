package dev.glint.api;

import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Statistics;

import java.util.List;
import java.util.Optional;

import static dev.glint.api.RouteSupport.requireProduct;

/**
 * The experiment routes, for product teams only (the {@code product} group of the caller's token):
 * the configured experiments, and each one's results from its rollups (one batch read).
 */
final class ExperimentRoutes implements RouteGroup {

    /** A treatment whose two-sided p-value is below this is reported as significant. */
    static final double ALPHA = 0.05;

    record ExperimentsView(List<Experiments.Summary> items) {
    }

    record ResultsView(Experiments.Summary experiment, SampleRatioView sampleRatio, List<MetricView> metrics) {
    }

    record SampleRatioView(double chiSquare, int degreesOfFreedom, double pValue, boolean mismatch, double threshold) {
    }

    record MetricView(String metric, List<VariantView> variants) {
    }

    /**
     * A variant's counts; a treatment also has its comparison with the control ({@code lift} is null
     * when the control converted no one).
     */
    record VariantView(String name, boolean control, long exposures, long conversions, double rate,
                       Optional<IntervalView> difference, Optional<Optional<IntervalView>> lift, Optional<Double> z,
                       Optional<Double> pValue, Optional<Boolean> significant) {
    }

    record IntervalView(double value, double low95, double high95) {
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
        Statistics.SampleRatio srm = results.sampleRatio();
        return new ResultsView(results.experiment(),
                new SampleRatioView(srm.chiSquare(), srm.degrees(), srm.pValue(), srm.mismatch(), Statistics.SRM_THRESHOLD),
                results.metrics().stream().map(metric -> new MetricView(metric.metric(),
                        metric.variants().stream().map(ExperimentRoutes::variant).toList())).toList());
    }

    private static VariantView variant(Experiments.VariantResult variant) {
        Optional<Statistics.Comparison> c = Optional.ofNullable(variant.vsControl());
        return new VariantView(variant.name(), variant.control(), variant.exposures(), variant.conversions(),
                variant.rate(),
                c.map(x -> new IntervalView(x.difference(), x.differenceLow(), x.differenceHigh())),
                c.map(x -> Optional.ofNullable(x.lift()).map(lift -> new IntervalView(lift, x.liftLow(), x.liftHigh()))),
                c.map(Statistics.Comparison::z),
                c.map(Statistics.Comparison::pValue),
                c.map(x -> x.pValue() < ALPHA));
    }
}
