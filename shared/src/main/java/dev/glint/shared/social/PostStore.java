package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Posts, their likes and comments, and the uploads they are made from. Every multi-item write is one transaction. */
public interface PostStore {

    void createUpload(Upload upload);

    Optional<Upload> findUpload(String uploadId);

    /**
     * Creates the post and claims the upload of each of its photos (owned by the author, not used
     * before), at once, while the author's profile exists.
     *
     * @throws SocialException CONFLICT {@code upload_used} if an upload made another post
     */
    void create(Post post);

    Optional<Post> find(String postId, boolean consistent);

    /** Posts in the order of the ids; missing ones are skipped. */
    List<Post> findAll(List<String> postIds, boolean consistent);

    /**
     * Keeps one photo's renditions (name to object key), blurhash and size on a processing post (as
     * read strongly by the caller), and marks the post ready once every photo has them. Repeating it
     * changes nothing more.
     */
    PhotoSaved savePhoto(Post post, int index, Photo processed);

    /** What {@link #savePhoto} did. */
    enum PhotoSaved {
        /** Kept; other photos of the post are still processing. */
        SAVED,
        /** Kept, and it was the last: this call made the post ready. */
        POST_READY,
        /** Nothing kept: the post is gone, failed, or no longer processing. */
        NOT_PROCESSING
    }

    /** Marks a processing post failed with a reason its author can read. @return false if it was not processing */
    boolean markFailed(String postId, String reason);

    /**
     * Sets the caption and each photo's alt text (one per photo, in order) of a post as read strongly
     * by the caller.
     *
     * @return false if the post is gone
     */
    boolean editText(Post post, String caption, List<String> altTexts);

    /** Removes the post from every read path. @return false if it did not exist */
    boolean delete(Post post);

    /** An author's post ids, newest first, as a list the API pages through. */
    Page<String> postIdsByAuthor(String authorId, int limit, Optional<PageToken> after, boolean consistent);

    /**
     * An author's post ids, newest first, older than {@code afterPostId} when given (eventually
     * consistent): what a feed pulls from an author, from any post on. One query.
     */
    Recent recentPostIds(String authorId, int limit, Optional<String> afterPostId);

    /** @param more whether the author may have older posts than these */
    record Recent(List<String> postIds, boolean more) {
    }

    /**
     * Which of these posts the user likes: one batch read of the like items (strongly consistent
     * when the user must see a like they just made).
     */
    Set<String> likedBy(String userId, List<String> postIds, boolean consistent);

    /** @return false if already liked (nothing changed) */
    boolean like(String postId, String userId);

    /** @return false if not liked (nothing changed) */
    boolean unlike(String postId, String userId);

    /** @throws SocialException NOT_FOUND if the post is gone */
    void addComment(Comment comment);

    Optional<Comment> findComment(String postId, String commentId);

    /** The post a comment is on, by the comment's id alone (empty if there is no such comment). */
    Optional<String> postOfComment(String commentId);

    /** @return false if it did not exist */
    boolean deleteComment(Comment comment);

    /** Oldest first, as a conversation reads. */
    Page<Comment> comments(String postId, int limit, Optional<PageToken> after);

    /**
     * Deletes up to {@code limit} of the comments and likes a deleted post left behind, from where
     * the previous call stopped. Deleting what is already gone changes nothing.
     *
     * @return where to go on, or empty once none is left
     */
    Optional<PageToken> purgeEngagement(String postId, Optional<PageToken> from, int limit);
}
