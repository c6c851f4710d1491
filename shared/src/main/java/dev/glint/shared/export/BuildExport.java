package dev.glint.shared.export;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.ExportJob;
import dev.glint.shared.messages.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * Builds an export's archive ({@link ExportJob}). Idempotent: a job for an export that is no longer
 * running (ready, failed, erased) does nothing. A job that died midway is redelivered and rebuilds the
 * archive from the start, overwriting what the attempt before wrote (the archive is one object, written
 * whole at the end, so nobody reads half of one).
 */
public final class BuildExport implements MessageConsumer<ExportJob> {

    private static final Logger LOG = LoggerFactory.getLogger(BuildExport.class);

    private final ExportLedger ledger;
    private final ArchiveWriter archives;
    private final Ids ids;
    private final Clock clock;

    public BuildExport(ExportLedger ledger, ArchiveWriter archives, Ids ids, Clock clock) {
        this.ledger = ledger;
        this.archives = archives;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public void accept(ExportJob job, Delivery delivery) {
        Optional<DataExport> export = ledger.get(job.userId(), job.exportId());
        if (export.isEmpty() || export.get().status() != DataExport.Status.RUNNING) {
            LOG.info("export {} dropped: it is {}", job.exportId(), export.map(e -> e.status().name().toLowerCase()).orElse("gone"));
            return;
        }
        ArchiveWriter.Written written;
        try {
            written = archives.write(job.userId(), export.get().objectKey());
        } catch (ArchiveWriter.TooLarge e) {
            ledger.failed(job.userId(), job.exportId(), e.getMessage(), clock.instant());
            LOG.warn("export {} failed: {}", job.exportId(), e.getMessage());
            return;
        }
        // Ready and notified in one transaction: a crash before it rebuilds, one after it finds the export ready.
        if (!ledger.ready(job.userId(), job.exportId(), written.bytes(), written.photos(), ids.next(), clock.instant())) {
            if (ledger.get(job.userId(), job.exportId()).isEmpty()) {
                // Erased while it was built: the archive must not outlive its record.
                archives.delete(export.get().objectKey());
            }
            LOG.info("export {} was finished by another delivery or erased", job.exportId());
            return;
        }
        LOG.info("export {} ready: {} bytes, {} photos", job.exportId(), written.bytes(), written.photos());
    }
}
