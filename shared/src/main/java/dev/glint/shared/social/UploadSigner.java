package dev.glint.shared.social;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Presigns a direct upload of one original, so blobs never pass through the API. Where the object
 * lands (under its owner's prefix only) is the signer's to decide; the upload remembers it.
 */
public interface UploadSigner {

    /** The signed content type and length are enforced by the store. */
    Presigned presignUpload(String ownerId, String uploadId, String contentType, long contentLength, Duration ttl);

    /**
     * What the client sends: method, URL and these headers, before {@code expiresAt}.
     *
     * @param objectKey where the original lands in the uploads bucket
     */
    record Presigned(String objectKey, String url, String method, Map<String, String> headers, Instant expiresAt) {
    }
}
