package dev.glint.shared.export;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each user's exports, and the one that runs: at most one a user at a time. */
public interface ExportLedger {

    /** What starting an export found. */
    sealed interface Start permits Started, AlreadyRunning {
    }

    record Started(DataExport export) implements Start {
    }

    record AlreadyRunning(String exportId) implements Start {
    }

    /**
     * Records the export and claims the user's one running slot in one conditional write: the slot is
     * taken unless it is free or its holder started before {@code stuckBefore} (then it is replaced).
     */
    Start start(DataExport export, Instant stuckBefore);

    /** One of the user's exports (read strongly); empty for an id that is not theirs. */
    Optional<DataExport> get(String userId, String exportId);

    /** The user's exports, newest first, at most {@code limit}. */
    List<DataExport> recent(String userId, int limit);

    /**
     * Marks a running export ready, frees the slot and tells the user (a notification {@code export_ready}
     * with id {@code notificationId}, the export's id as subject), in one transaction: all or nothing.
     *
     * @return false if the export is no longer running (finished by a copy of the job, or erased)
     */
    boolean ready(String userId, String exportId, long bytes, int photos, String notificationId, Instant now);

    /** Marks a running export failed with why, and frees the slot; false if it was not running. */
    boolean failed(String userId, String exportId, String reason, Instant now);
}
