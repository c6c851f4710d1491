package dev.glint.shared.export;

import java.time.Duration;
import java.time.Instant;

/** Short-lived download links of archives. */
public interface ArchiveLinks {

    record Link(String url, Instant expiresAt) {
    }

    Link download(String objectKey, String fileName, Duration validFor);
}
