package dev.glint.shared.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Presigns a direct upload of one object, so blobs never pass through the API. */
public interface UploadSigner {

    /** The signed content type and length are enforced by the store. */
    Presigned presignPut(String objectKey, String contentType, long contentLength, Duration ttl);

    /** What the client sends: method, URL and these headers, before {@code expiresAt}. */
    record Presigned(String url, String method, Map<String, String> headers, Instant expiresAt) {
    }
}
