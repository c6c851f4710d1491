package dev.glint.shared.social;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A post: a caption and 1 to {@link #MAX_PHOTOS} photos in order. It is {@code processing} until
 * every photo is processed, then {@code ready}; {@code failed} with {@code failureReason} (the first
 * photo the media pipeline refused, and why) otherwise. {@code version} grows with every change of
 * the post or its counts: a cached view of it is current while the version is. {@code removed}: why
 * and when a moderator took it down (its status then {@code REMOVED}), else null.
 */
public record Post(String id, String authorId, String caption, PostStatus status, List<Photo> photos,
                   Instant createdAt, long likes, long comments, String failureReason, long version, Removal removed) {

    public static final int MAX_PHOTOS = 10;

    /** A post no moderator took down. */
    public Post(String id, String authorId, String caption, PostStatus status, List<Photo> photos,
                Instant createdAt, long likes, long comments, String failureReason, long version) {
        this(id, authorId, caption, status, photos, createdAt, likes, comments, failureReason, version, null);
    }

    public Post {
        photos = List.copyOf(photos);
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("a post has at least one photo");
        }
    }

    /** The upload of the first photo (the post's cover). */
    public String uploadId() {
        return photos.get(0).uploadId();
    }

    /** The cover's renditions: name to object key (empty until processed). */
    public Map<String, String> media() {
        return photos.get(0).media();
    }

    public Post withStatus(PostStatus newStatus, String reason) {
        return new Post(id, authorId, caption, newStatus, photos, createdAt, likes, comments, reason, version + 1, removed);
    }

    public Post withCounts(long newLikes, long newComments) {
        return new Post(id, authorId, caption, status, photos, createdAt, newLikes, newComments, failureReason, version + 1, removed);
    }

    public Post withText(String newCaption, List<Photo> newPhotos) {
        return new Post(id, authorId, newCaption, status, newPhotos, createdAt, likes, comments, failureReason, version + 1, removed);
    }

    public Post withPhotos(List<Photo> newPhotos) {
        return new Post(id, authorId, caption, status, newPhotos, createdAt, likes, comments, failureReason, version + 1, removed);
    }
}
