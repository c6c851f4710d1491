package dev.glint.shared.experiments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Markers in memory; counts as the stream processor would roll them up (each marker once), per revision. */
public class InMemoryExperimentStore implements ExperimentStore {

    public final Map<UserInExperiment, Exposure> exposures = new LinkedHashMap<>();
    public final List<Conversion> conversions = new ArrayList<>();
    public final Map<Object, Instant> kept = new HashMap<>();
    public int writes;
    public int batchReads;
    /** The rollups: experiment, revision, variant's counts. */
    private final Map<String, Map<String, Map<String, Map<String, Long>>>> rollups = new LinkedHashMap<>();
    private final Map<String, List<Variant>> splits = new HashMap<>();

    @Override
    public boolean recordExposure(Exposure exposure, Instant keepUntil) {
        writes++;
        boolean added = exposures.putIfAbsent(new UserInExperiment(exposure.experimentId(), exposure.revision(),
                exposure.userId()), exposure) == null;
        if (added) {
            kept.put(exposure, keepUntil);
            splits.putIfAbsent(exposure.revision(), exposure.split());
            count(exposure.experimentId(), exposure.revision(), exposure.variant(), "exposures", 1);
        }
        return added;
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
        conversions.stream().filter(c -> pairs.contains(new UserInExperiment(c.experimentId(), c.revision(), c.userId()))
                && metrics.contains(c.metric())).forEach(converted::add);
        return new Markers(found, converted);
    }

    @Override
    public boolean recordConversion(Conversion conversion, Instant keepUntil) {
        writes++;
        boolean seen = conversions.stream().anyMatch(c -> c.experimentId().equals(conversion.experimentId())
                && c.revision().equals(conversion.revision()) && c.userId().equals(conversion.userId())
                && c.metric().equals(conversion.metric()));
        if (!seen) {
            conversions.add(conversion);
            kept.put(conversion, keepUntil);
            count(conversion.experimentId(), conversion.revision(), conversion.variant(), "conversions:" + conversion.metric(), 1);
        }
        return !seen;
    }

    /** Puts counts by hand, as if the rollups held them. */
    public void put(Experiment experiment, String variant, long exposures, String metric, long conversions) {
        splits.putIfAbsent(experiment.revision(), experiment.variants());
        count(experiment.id(), experiment.revision(), variant, "exposures", exposures);
        count(experiment.id(), experiment.revision(), variant, "conversions:" + metric, conversions);
    }

    private void count(String experimentId, String revision, String variant, String name, long value) {
        rollups.computeIfAbsent(experimentId, e -> new LinkedHashMap<>()).computeIfAbsent(revision, r -> new LinkedHashMap<>())
                .computeIfAbsent(variant, v -> new TreeMap<>()).merge(name, value, Long::sum);
    }

    @Override
    public List<RevisionCounts> counts(String experimentId) {
        batchReads++;
        List<RevisionCounts> out = new ArrayList<>();
        rollups.getOrDefault(experimentId, Map.of()).forEach((revision, variants) ->
                out.add(new RevisionCounts(revision, splits.getOrDefault(revision, List.of()), variants)));
        return out;
    }
}
