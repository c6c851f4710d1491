package dev.glint.shared.social;

import java.time.Instant;

/**
 * An upload the API presigned for its owner. {@code usedBy} is the post that consumed it, if any:
 * an upload makes at most one post.
 */
public record Upload(String id, String ownerId, String objectKey, String contentType, long contentLength,
                     Instant expiresAt, String usedBy) {
}
