package dev.glint.shared.experiments;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Experiment markers and rollups. A marker exists once per (experiment, user) for the exposure and
 * once per (experiment, user, metric) for the conversion; the stream processor counts each
 * marker's insertion into the per-variant rollup, once.
 */
public interface ExperimentStore {

    /** The user was served the variant. @return false if an exposure was recorded before (nothing changed) */
    boolean recordExposure(Exposure exposure);

    /** The exposures and conversions of the pairs, in one batch read (strongly consistent). */
    Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics);

    /** @return false if this conversion was recorded before (nothing changed) */
    boolean recordConversion(Conversion conversion);

    /** Each variant's counts ({@code exposures}, {@code conversions:<metric>}), in one batch read. */
    Map<String, Map<String, Long>> counts(String experimentId, List<String> variants);

    record UserInExperiment(String experimentId, String userId) {
    }

    record Exposure(String experimentId, String userId, String variant, Instant at) {
    }

    record Conversion(String experimentId, String userId, String variant, String metric, Instant at) {
    }

    /** @param converted the (pair, metric)s already converted */
    record Markers(Map<UserInExperiment, Exposure> exposures, java.util.Set<Conversion> converted) {
        public boolean hasConverted(UserInExperiment pair, String metric) {
            return converted.stream().anyMatch(c -> c.experimentId().equals(pair.experimentId())
                    && c.userId().equals(pair.userId()) && c.metric().equals(metric));
        }
    }
}
