package dev.glint.api;

import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment routes, for product teams only (the {@code product} group of the caller's token):
 * the configured experiments, and each one's results from its rollups (one batch read).
 */
final class ExperimentRoutes {

    /** A treatment whose two-sided p-value is below this is reported as significant. */
    static final double ALPHA = 0.05;

    private final Experiments experiments;

    ExperimentRoutes(Experiments experiments) {
        this.experiments = experiments;
    }

    void register(Router router) {
        router.add("GET", "/v1/experiments", request -> {
            SocialRoutes.requireProduct(request, "Experiments");
            return HttpResponse.json(200, Map.of("items", experiments.list()));
        }).add("GET", "/v1/experiments/{id}/results", request -> {
            SocialRoutes.requireProduct(request, "Experiments");
            return HttpResponse.json(200, results(experiments.results(request.pathParams().get("id"))));
        });
    }

    static Map<String, Object> results(Experiments.Results results) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", results.experiment());
        Statistics.SampleRatio srm = results.sampleRatio();
        Map<String, Object> ratio = new LinkedHashMap<>();
        ratio.put("chiSquare", srm.chiSquare());
        ratio.put("degreesOfFreedom", srm.degrees());
        ratio.put("pValue", srm.pValue());
        ratio.put("mismatch", srm.mismatch());
        ratio.put("threshold", Statistics.SRM_THRESHOLD);
        out.put("sampleRatio", ratio);
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Experiments.MetricResult metric : results.metrics()) {
            List<Map<String, Object>> variants = new ArrayList<>();
            for (Experiments.VariantResult variant : metric.variants()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", variant.name());
                v.put("control", variant.control());
                v.put("exposures", variant.exposures());
                v.put("conversions", variant.conversions());
                v.put("rate", variant.rate());
                Statistics.Comparison c = variant.vsControl();
                if (c != null) {
                    v.put("difference", interval(c.difference(), c.differenceLow(), c.differenceHigh()));
                    v.put("lift", c.lift() == null ? null : interval(c.lift(), c.liftLow(), c.liftHigh()));
                    v.put("z", c.z());
                    v.put("pValue", c.pValue());
                    v.put("significant", c.pValue() < ALPHA);
                }
                variants.add(v);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric.metric());
            m.put("variants", variants);
            metrics.add(m);
        }
        out.put("metrics", metrics);
        return out;
    }

    private static Map<String, Object> interval(double value, double low, double high) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", value);
        out.put("low95", low);
        out.put("high95", high);
        return out;
    }
}
