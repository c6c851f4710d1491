package dev.glint.shared.experiments;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Experiment markers and rollups, per assignment revision ({@link Experiment#revision()}). A marker
 * exists once per (experiment, revision, user) for the exposure and once per (experiment, revision,
 * user, metric) for the conversion, and expires some time after the experiment ends; the stream
 * processor counts each marker's insertion into its revision's per-variant rollup, once.
 */
public interface ExperimentStore {

    /**
     * The user was served the variant; the marker is kept until {@code keepUntil}.
     *
     * @return false if an exposure was recorded before (nothing changed)
     */
    boolean recordExposure(Exposure exposure, Instant keepUntil);

    /** The exposures and conversions of the pairs, in one batch read (strongly consistent). */
    Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics);

    /** @return false if this conversion was recorded before (nothing changed) */
    boolean recordConversion(Conversion conversion, Instant keepUntil);

    /** Every revision's counts of the experiment, in one query: a revision's variants in declared order. */
    List<RevisionCounts> counts(String experimentId);

    record UserInExperiment(String experimentId, String revision, String userId) {
    }

    /** @param split the revision's variants in declared order with their weights, as served */
    record Exposure(String experimentId, String revision, String userId, String variant, List<Variant> split,
                    Instant at) {
        public Exposure {
            split = List.copyOf(split);
        }
    }

    record Conversion(String experimentId, String revision, String userId, String variant, String metric, Instant at) {
    }

    /**
     * A revision's counts: per variant, {@code exposures} and {@code conversions:<metric>}.
     *
     * @param split the revision's variants with their weights, in declared order
     */
    record RevisionCounts(String revision, List<Variant> split, Map<String, Map<String, Long>> counts) {
    }

    /** @param converted the (pair, metric)s already converted */
    record Markers(Map<UserInExperiment, Exposure> exposures, Set<Conversion> converted) {
        public boolean hasConverted(UserInExperiment pair, String metric) {
            return converted.stream().anyMatch(c -> c.experimentId().equals(pair.experimentId())
                    && c.revision().equals(pair.revision()) && c.userId().equals(pair.userId()) && c.metric().equals(metric));
        }
    }
}
