package dev.glint.shared.experiments;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The change log of experiments: who changed which fields of one, when, from what to what. */
public interface ExperimentChangeStore {

    /** A field's value before and after a change (null before a creation). */
    record FieldChange(JsonNode before, JsonNode after) {
    }

    /**
     * One change.
     *
     * @param version the hosted version the change created
     * @param by      the caller's user id (token {@code sub})
     * @param handle  the caller's handle, null when they have no profile
     * @param action  {@code created} or {@code changed}
     * @param reason  why, when given
     */
    record Change(String experimentId, Instant at, int version, String by, String handle, String action, String reason,
                  Map<String, FieldChange> fields) {
        public Change {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }

    void record(Change change);

    /** The experiment's changes, newest first, at most {@code limit} (one query). */
    List<Change> changes(String experimentId, int limit);
}
