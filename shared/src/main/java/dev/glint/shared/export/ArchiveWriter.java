package dev.glint.shared.export;

/**
 * Builds a user's archive from what they have (everything read by key or query) and stores it at the
 * export's object key, replacing whatever a previous attempt left there.
 */
public interface ArchiveWriter {

    /** What was written. */
    record Written(long bytes, int photos) {
    }

    /** The archive is larger than the worker can build: the export fails saying so. */
    final class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    Written write(String userId, String objectKey);

    /** Removes an archive written for an export that no longer exists (erased while it was built). */
    void delete(String objectKey);
}
