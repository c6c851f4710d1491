package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.util.Optional;

/** Likes and comments. Liking twice counts once; only a comment's author or the post's author deletes it. */
public final class Engagement {

    static final int MAX_COMMENT = 2_200;

    private final Accounts accounts;
    private final PostStore posts;
    private final Ids ids;
    private final Clock clock;

    public Engagement(Accounts accounts, PostStore posts, Ids ids, Clock clock) {
        this.accounts = accounts;
        this.posts = posts;
        this.ids = ids;
        this.clock = clock;
    }

    /** @return the post after the like, read strongly so the caller sees their own like counted */
    public Post like(String userId, String postId) {
        accounts.me(userId);
        existing(postId);
        posts.like(postId, userId);
        return posts.find(postId, true).orElseThrow(() -> Publishing.postNotFound(postId));
    }

    public Post unlike(String userId, String postId) {
        existing(postId);
        posts.unlike(postId, userId);
        return posts.find(postId, true).orElseThrow(() -> Publishing.postNotFound(postId));
    }

    public Comment comment(String userId, String postId, String text) {
        accounts.me(userId);
        Text.requireLength("text", text, 1, MAX_COMMENT);
        existing(postId);
        Comment comment = new Comment(ids.next(), postId, userId, text.strip(), clock.instant());
        posts.addComment(comment);
        return comment;
    }

    public Page<Comment> comments(String postId, int limit, Optional<PageToken> after) {
        existing(postId);
        return posts.comments(postId, limit, after);
    }

    public void deleteComment(String userId, String postId, String commentId) {
        Post post = existing(postId);
        Comment comment = posts.findComment(postId, commentId).orElseThrow(() -> SocialException.notFound(
                "comment_not_found", "No comment " + Text.quote(commentId) + " on this post."));
        if (!comment.authorId().equals(userId) && !post.authorId().equals(userId)) {
            throw SocialException.forbidden("Only the comment's author or the post's author can delete it.");
        }
        posts.deleteComment(comment);
    }

    private Post existing(String postId) {
        return posts.find(postId, true).orElseThrow(() -> Publishing.postNotFound(postId));
    }
}
