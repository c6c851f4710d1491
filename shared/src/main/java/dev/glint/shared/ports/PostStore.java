package dev.glint.shared.ports;

import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Upload;

import java.util.List;
import java.util.Optional;

/** Posts, their likes and comments, and the uploads they are made from. Every multi-item write is one transaction. */
public interface PostStore {

    void createUpload(Upload upload);

    Optional<Upload> findUpload(String uploadId);

    /**
     * Creates the post, claims its upload (owned by the author, not used before) and counts the post
     * on the author's profile, all at once.
     *
     * @throws dev.glint.shared.social.SocialException CONFLICT {@code upload_used} if the upload made another post
     */
    void create(Post post);

    Optional<Post> find(String postId, boolean consistent);

    /** Posts in the order of the ids; missing ones are skipped. */
    List<Post> findAll(List<String> postIds, boolean consistent);

    /** Marks a processing post ready with its renditions (name to object key). @return false if it was not processing */
    boolean markReady(String postId, java.util.Map<String, String> media);

    /** Marks a processing post failed with a reason its author can read. @return false if it was not processing */
    boolean markFailed(String postId, String reason);

    /** Removes the post from every read path and uncounts it. @return false if it did not exist */
    boolean delete(Post post);

    Page<String> postIdsByAuthor(String authorId, int limit, Optional<PageKey> after, boolean consistent);

    /** @return false if already liked (nothing changed) */
    boolean like(String postId, String userId);

    /** @return false if not liked (nothing changed) */
    boolean unlike(String postId, String userId);

    /** @throws dev.glint.shared.social.SocialException NOT_FOUND if the post is gone */
    void addComment(Comment comment);

    Optional<Comment> findComment(String postId, String commentId);

    /** @return false if it did not exist */
    boolean deleteComment(Comment comment);

    /** Oldest first, as a conversation reads. */
    Page<Comment> comments(String postId, int limit, Optional<PageKey> after);

    /** A user's home feed, newest first: post ids. */
    Page<String> feed(String userId, int limit, Optional<PageKey> after);
}
