package dev.glint.shared.ports;

/** A bucket of blobs (uploads, renditions), addressed by key. */
public interface BlobStore {

    /** Whether a blob exists under the key. */
    boolean exists(String key);
}
