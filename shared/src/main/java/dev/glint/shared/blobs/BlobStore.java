package dev.glint.shared.blobs;

import java.util.Optional;

/** A bucket of blobs (uploads, renditions), addressed by key. */
public interface BlobStore {

    /** Whether a blob exists under the key. */
    boolean exists(String key);

    /**
     * The blob's bytes, if it exists.
     *
     * @throws TooLarge if it holds more than {@code maxBytes}; nothing beyond the limit is read
     */
    default Optional<byte[]> read(String key, long maxBytes) {
        throw new UnsupportedOperationException("this store does not read");
    }

    /** Writes (or overwrites) a blob. */
    default void put(String key, byte[] bytes, String contentType) {
        throw new UnsupportedOperationException("this store does not write");
    }

    /** Deletes a blob; deleting a missing one is fine. */
    default void delete(String key) {
        throw new UnsupportedOperationException("this store does not delete");
    }

    /** A blob larger than the reader's limit. */
    final class TooLarge extends RuntimeException {
        public TooLarge(String key, long size) {
            super(key + " holds " + size + " bytes");
        }
    }
}
