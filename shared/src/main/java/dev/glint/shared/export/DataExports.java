package dev.glint.shared.export;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.ExportJob;
import dev.glint.shared.messages.TaskQueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A user asks for a copy of their data: one export at a time, built in the background by the media
 * worker ({@link BuildExport}), downloaded through a short-lived link minted on each read.
 */
public final class DataExports {

    /** How long an archive (and its record) is kept: the bucket's lifecycle rule on {@code exports/} says the same. */
    public static final Duration KEPT = Duration.ofDays(dev.glint.shared.resources.GlintResources.EXPORT_ARCHIVE_DAYS);
    /**
     * An export still running after this died (its job dead-lettered): it reads as failed and a new one
     * may replace it. Well past a job's retries (15-minute Lambda runs, a few receives).
     */
    public static final Duration STUCK_AFTER = Duration.ofHours(2);
    /** How long a download link works; a new one is minted on every read. */
    public static final Duration LINK_VALID_FOR = Duration.ofMinutes(15);
    public static final int RECENT = 10;

    private final ExportLedger ledger;
    private final ArchiveLinks links;
    private final TaskQueue tasks;
    private final Ids ids;
    private final Clock clock;

    public DataExports(ExportLedger ledger, ArchiveLinks links, TaskQueue tasks, Ids ids, Clock clock) {
        this.ledger = ledger;
        this.links = links;
        this.tasks = tasks;
        this.ids = ids;
        this.clock = clock;
    }

    /** The archive's place in the uploads bucket: under the user's own prefix of {@code exports/}. */
    public static String objectKey(String userId, String exportId) {
        return dev.glint.shared.resources.GlintResources.EXPORT_ARCHIVES_PREFIX + userId + "/" + exportId + ".zip";
    }

    /** Starts an export, or says which one runs. The job is sent after the record, so a job always finds one. */
    public ExportLedger.Start start(String userId) {
        Instant now = clock.instant();
        String id = ids.next();
        ExportLedger.Start start = ledger.start(DataExport.started(id, userId, objectKey(userId, id), now, now.plus(KEPT)),
                now.minus(STUCK_AFTER));
        if (start instanceof ExportLedger.Started) {
            tasks.send(ExportJob.of(userId, id));
        }
        return start;
    }

    /** An export of mine and, when ready, a fresh download link. */
    public Optional<Seen> get(String userId, String exportId) {
        if (!Ids.valid(exportId)) {
            return Optional.empty();
        }
        return ledger.get(userId, exportId).map(this::seen);
    }

    /**
     * A fresh download link for the export an {@code export_ready} notification names, minted without a read:
     * the notification exists only once the archive is written (under {@link #objectKey}), and the archive is
     * kept {@link #KEPT} from then, so a notice older than that gets none.
     */
    public Optional<ArchiveLinks.Link> noticeLink(String userId, String exportId, Instant readyAt) {
        if (!Ids.valid(exportId) || !readyAt.plus(KEPT).isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(links.download(objectKey(userId, exportId), "glint-export-" + exportId + ".zip", LINK_VALID_FOR));
    }

    /** My recent exports, newest first (no links: a link is minted by reading one). */
    public List<DataExport> recent(String userId) {
        Instant now = clock.instant();
        return ledger.recent(userId, RECENT).stream().map(e -> e.asOf(now, STUCK_AFTER)).toList();
    }

    private Seen seen(DataExport export) {
        Instant now = clock.instant();
        DataExport current = export.asOf(now, STUCK_AFTER);
        Optional<ArchiveLinks.Link> link = current.status() == DataExport.Status.READY
                ? Optional.of(links.download(current.objectKey(), "glint-export-" + current.id() + ".zip", LINK_VALID_FOR))
                : Optional.empty();
        return new Seen(current, link);
    }

    /** An export with its download link when ready. */
    public record Seen(DataExport export, Optional<ArchiveLinks.Link> link) {
    }
}
