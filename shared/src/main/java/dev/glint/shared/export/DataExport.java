package dev.glint.shared.export;

import java.time.Instant;

/**
 * One export of a user's data: {@code running} until the media worker has written the archive, then
 * {@code ready} (with its size and how many photos it holds) or {@code failed} with why.
 *
 * @param objectKey where the archive is (or will be) in the uploads bucket
 * @param expiresAt when the archive and this record go (the bucket's lifecycle rule and the item's TTL)
 */
public record DataExport(String id, String userId, Status status, String reason, Instant createdAt,
                         Instant finishedAt, long bytes, int photos, String objectKey, Instant expiresAt) {

    public enum Status { RUNNING, READY, FAILED }

    public static DataExport started(String id, String userId, String objectKey, Instant now, Instant expiresAt) {
        return new DataExport(id, userId, Status.RUNNING, null, now, null, 0, 0, objectKey, expiresAt);
    }

    /**
     * As the user sees it at {@code now}: an export still running after {@code stuckAfter} died (a job that
     * dead-lettered), is failed, and may be replaced by a new one.
     */
    public DataExport asOf(Instant now, java.time.Duration stuckAfter) {
        if (status == Status.RUNNING && createdAt.plus(stuckAfter).isBefore(now)) {
            return new DataExport(id, userId, Status.FAILED, "The export took too long and was given up; start a new one.",
                    createdAt, null, 0, 0, objectKey, expiresAt);
        }
        return this;
    }
}
