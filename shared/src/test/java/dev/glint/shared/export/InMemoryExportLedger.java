package dev.glint.shared.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Exports in memory, with the same one-slot rule and the notifications the ready transaction writes. */
final class InMemoryExportLedger implements ExportLedger {

    final Map<String, DataExport> exports = new HashMap<>();
    final Map<String, String> slots = new HashMap<>();
    final List<String> notified = new ArrayList<>();

    private static String key(String userId, String exportId) {
        return userId + "/" + exportId;
    }

    @Override
    public synchronized Start start(DataExport export, Instant stuckBefore) {
        String holder = slots.get(export.userId());
        if (holder != null && !exports.get(key(export.userId(), holder)).createdAt().isBefore(stuckBefore)) {
            return new AlreadyRunning(holder);
        }
        slots.put(export.userId(), export.id());
        exports.put(key(export.userId(), export.id()), export);
        return new Started(export);
    }

    @Override
    public synchronized Optional<DataExport> get(String userId, String exportId) {
        return Optional.ofNullable(exports.get(key(userId, exportId)));
    }

    @Override
    public synchronized List<DataExport> recent(String userId, int limit) {
        return exports.values().stream().filter(e -> e.userId().equals(userId))
                .sorted(Comparator.comparing(DataExport::id).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized boolean ready(String userId, String exportId, long bytes, int photos, String notificationId, Instant now) {
        DataExport e = exports.get(key(userId, exportId));
        if (e == null || e.status() != DataExport.Status.RUNNING) {
            return false;
        }
        exports.put(key(userId, exportId), new DataExport(e.id(), userId, DataExport.Status.READY, null, e.createdAt(), now,
                bytes, photos, e.objectKey(), e.expiresAt()));
        slots.remove(userId, exportId);
        notified.add(userId + " export_ready " + exportId);
        return true;
    }

    @Override
    public synchronized boolean failed(String userId, String exportId, String reason, Instant now) {
        DataExport e = exports.get(key(userId, exportId));
        if (e == null || e.status() != DataExport.Status.RUNNING) {
            return false;
        }
        exports.put(key(userId, exportId), new DataExport(e.id(), userId, DataExport.Status.FAILED, reason, e.createdAt(), now,
                0, 0, e.objectKey(), e.expiresAt()));
        slots.remove(userId, exportId);
        return true;
    }
}
