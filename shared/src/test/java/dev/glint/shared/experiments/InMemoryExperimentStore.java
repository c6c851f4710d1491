package dev.glint.shared.experiments;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Markers in memory; counts as the stream processor would roll them up (each marker once). */
public class InMemoryExperimentStore implements ExperimentStore {

    public final Map<UserInExperiment, Exposure> exposures = new LinkedHashMap<>();
    public final List<Conversion> conversions = new ArrayList<>();
    public int writes;
    public int batchReads;

    @Override
    public boolean recordExposure(Exposure exposure) {
        writes++;
        return exposures.putIfAbsent(new UserInExperiment(exposure.experimentId(), exposure.userId()), exposure) == null;
    }

    @Override
    public Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics) {
        batchReads++;
        Map<UserInExperiment, Exposure> found = new HashMap<>();
        pairs.forEach(p -> {
            if (exposures.containsKey(p)) {
                found.put(p, exposures.get(p));
            }
        });
        Set<Conversion> converted = new HashSet<>();
        conversions.stream().filter(c -> pairs.contains(new UserInExperiment(c.experimentId(), c.userId()))
                && metrics.contains(c.metric())).forEach(converted::add);
        return new Markers(found, converted);
    }

    @Override
    public boolean recordConversion(Conversion conversion) {
        writes++;
        boolean seen = conversions.stream().anyMatch(c -> c.experimentId().equals(conversion.experimentId())
                && c.userId().equals(conversion.userId()) && c.metric().equals(conversion.metric()));
        if (!seen) {
            conversions.add(conversion);
        }
        return !seen;
    }

    @Override
    public Map<String, Map<String, Long>> counts(String experimentId, List<String> variants) {
        batchReads++;
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        variants.forEach(v -> out.put(v, new LinkedHashMap<>()));
        exposures.values().stream().filter(e -> e.experimentId().equals(experimentId))
                .forEach(e -> out.get(e.variant()).merge("exposures", 1L, Long::sum));
        conversions.stream().filter(c -> c.experimentId().equals(experimentId))
                .forEach(c -> out.get(c.variant()).merge("conversions:" + c.metric(), 1L, Long::sum));
        return out;
    }

    /** Sets a variant's counts directly, as rollups would hold them. */
    void put(String experimentId, String variant, long exposed, String metric, long converted) {
        for (long i = 0; i < exposed; i++) {
            String user = variant + "-" + i;
            exposures.put(new UserInExperiment(experimentId, user), new Exposure(experimentId, user, variant, java.time.Instant.EPOCH));
            if (i < converted) {
                conversions.add(new Conversion(experimentId, user, variant, metric, java.time.Instant.EPOCH));
            }
        }
    }
}
