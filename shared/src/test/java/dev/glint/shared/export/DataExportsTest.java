package dev.glint.shared.export;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.ExportJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataExportsTest {

    private static final MessageConsumer.Delivery ONCE = new MessageConsumer.Delivery("m", 1);

    /** Archives in memory: what each key holds and how many times one was written. */
    static final class Archives implements ArchiveWriter {
        final Map<String, String> stored = new HashMap<>();
        int writes;
        boolean tooLarge;

        @Override
        public Written write(String userId, String objectKey) {
            if (tooLarge) {
                throw new TooLarge("The archive would pass 400 MB, more than an export can hold yet.");
            }
            writes++;
            stored.put(objectKey, "zip of " + userId);
            return new Written(123, 2);
        }

        @Override
        public void delete(String objectKey) {
            stored.remove(objectKey);
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final InMemoryExportLedger ledger = new InMemoryExportLedger();
    private final Archives archives = new Archives();
    private final List<QueueMessage> sent = new ArrayList<>();
    private final DataExports exports = new DataExports(ledger, (key, name, valid) ->
            new ArchiveLinks.Link("https://bucket/" + key + "?for=" + valid.toMinutes(), clock.instant().plus(valid)),
            sent::add, new Ids(clock), clock);
    private final BuildExport build = new BuildExport(ledger, archives, new Ids(clock), clock);

    @Test
    void aSecondExportWhileOneRunsNamesTheRunningOneAndSendsNoJob() {
        var first = assertInstanceOf(ExportLedger.Started.class, exports.start("u1"));
        var second = assertInstanceOf(ExportLedger.AlreadyRunning.class, exports.start("u1"));

        assertEquals(first.export().id(), second.exportId());
        assertEquals(List.of(ExportJob.of("u1", first.export().id())), sent);
        assertInstanceOf(ExportLedger.Started.class, exports.start("u2"), "one at a time per user, not for everyone");
    }

    @Test
    void anExportStuckPastTheLimitReadsFailedAndIsReplaced() {
        var first = assertInstanceOf(ExportLedger.Started.class, exports.start("u1"));
        clock.set(clock.instant().plus(DataExports.STUCK_AFTER).plusSeconds(1));

        assertEquals(DataExport.Status.FAILED, exports.get("u1", first.export().id()).orElseThrow().export().status());
        assertInstanceOf(ExportLedger.Started.class, exports.start("u1"));
    }

    @Test
    void aReadyExportHasAFreshLinkOnEveryReadAndIsNobodyElses() {
        var started = assertInstanceOf(ExportLedger.Started.class, exports.start("u1"));
        String id = started.export().id();
        assertTrue(exports.get("u1", id).orElseThrow().link().isEmpty(), "no link while it runs");

        build.accept(ExportJob.of("u1", id), ONCE);

        var seen = exports.get("u1", id).orElseThrow();
        assertEquals(DataExport.Status.READY, seen.export().status());
        assertEquals(123, seen.export().bytes());
        assertEquals("https://bucket/exports/u1/" + id + ".zip?for=15", seen.link().orElseThrow().url());
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), seen.link().orElseThrow().expiresAt());
        assertEquals(started.export().createdAt().plus(Duration.ofDays(7)), seen.export().expiresAt());
        assertTrue(exports.get("u2", id).isEmpty());
        assertTrue(exports.get("u1", "../u2").isEmpty());
        assertEquals(List.of("u1 export_ready " + id), ledger.notified);
    }

    @Test
    void aReadyNoticeLinksToItsOwnArchiveUntilTheArchiveIsDeleted() {
        String id = ((ExportLedger.Started) exports.start("u1")).export().id();
        build.accept(ExportJob.of("u1", id), ONCE);
        Instant readyAt = clock.instant();

        clock.set(readyAt.plus(Duration.ofDays(6)));
        var link = exports.noticeLink("u1", id, readyAt).orElseThrow();
        assertEquals("https://bucket/exports/u1/" + id + ".zip?for=15", link.url());
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), link.expiresAt(), "minted on this read");
        assertTrue(exports.noticeLink("u1", "../u2", readyAt).isEmpty(), "an id that is not one names no key");

        clock.set(readyAt.plus(DataExports.KEPT));
        assertTrue(exports.noticeLink("u1", id, readyAt).isEmpty(), "the archive is gone: no link to nothing");
    }

    @Test
    void aReplayedJobOfAFinishedExportChangesNothing() {
        String id = ((ExportLedger.Started) exports.start("u1")).export().id();
        build.accept(ExportJob.of("u1", id), ONCE);
        DataExport ready = ledger.get("u1", id).orElseThrow();

        clock.set(clock.instant().plusSeconds(60));
        build.accept(ExportJob.of("u1", id), new MessageConsumer.Delivery("m", 2));

        assertEquals(1, archives.writes);
        assertEquals(ready, ledger.get("u1", id).orElseThrow());
        assertEquals(1, ledger.notified.size());
    }

    @Test
    void anArchiveTooLargeFailsTheExportSayingWhyAndFreesTheSlot() {
        String id = ((ExportLedger.Started) exports.start("u1")).export().id();
        archives.tooLarge = true;

        build.accept(ExportJob.of("u1", id), ONCE);

        DataExport failed = ledger.get("u1", id).orElseThrow();
        assertEquals(DataExport.Status.FAILED, failed.status());
        assertTrue(failed.reason().contains("400 MB"), failed.reason());
        assertTrue(ledger.notified.isEmpty());
        assertInstanceOf(ExportLedger.Started.class, exports.start("u1"));
    }

    @Test
    void anExportErasedWhileItsArchiveWasBuiltLeavesNoArchive() {
        String id = ((ExportLedger.Started) exports.start("u1")).export().id();
        ArchiveWriter erasing = new ArchiveWriter() {
            @Override
            public Written write(String userId, String objectKey) {
                Written written = archives.write(userId, objectKey);
                ledger.exports.clear();
                ledger.slots.clear();
                return written;
            }

            @Override
            public void delete(String objectKey) {
                archives.delete(objectKey);
            }
        };

        new BuildExport(ledger, erasing, new Ids(clock), clock).accept(ExportJob.of("u1", id), ONCE);

        assertTrue(archives.stored.isEmpty(), archives.stored.toString());
        assertTrue(ledger.notified.isEmpty());
    }
}
