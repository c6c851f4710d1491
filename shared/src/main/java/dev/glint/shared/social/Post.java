package dev.glint.shared.social;

import java.time.Instant;
import java.util.Map;

/**
 * A post. {@code media} maps a rendition name to its object key once the post is ready;
 * {@code failureReason} says why the media pipeline refused the upload. {@code version} grows with
 * every change of the post or its counts: a cached view of it is current while the version is.
 */
public record Post(String id, String authorId, String caption, PostStatus status, String uploadId,
                   Instant createdAt, long likes, long comments, Map<String, String> media, String failureReason,
                   long version) {
}
