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
    private final Blocks blocks;
    private final PrivateAuthors privateAuthors;
    private final Ids ids;
    private final Clock clock;

    public Engagement(Accounts accounts, PostStore posts, Ids ids, Clock clock) {
        this(accounts, posts, Blocks.NONE, ids, clock);
    }

    /**
     * @param blocks who is blocked either way with a user: a post whose author is, is no post to them
     *               (no like, no comment, no comments read), and their comments leave the lists
     */
    public Engagement(Accounts accounts, PostStore posts, Blocks blocks, Ids ids, Clock clock) {
        this(accounts, posts, blocks, PrivateAuthors.NONE, ids, clock);
    }

    /**
     * @param privateAuthors private accounts a user does not follow: their posts are no posts to that user
     *                       (no like, no comment, no comments read)
     */
    public Engagement(Accounts accounts, PostStore posts, Blocks blocks, PrivateAuthors privateAuthors, Ids ids,
                      Clock clock) {
        this.privateAuthors = privateAuthors;
        this.accounts = accounts;
        this.posts = posts;
        this.blocks = blocks;
        this.ids = ids;
        this.clock = clock;
    }

    /** @return the post after the like, read strongly so the caller sees their own like counted */
    public Post like(String userId, String postId) {
        accounts.me(userId);
        notRemoved(visible(postId, userId));
        posts.like(postId, userId);
        return posts.find(postId, true).orElseThrow(() -> Publishing.postNotFound(postId));
    }

    public Post unlike(String userId, String postId) {
        visible(postId, userId);
        posts.unlike(postId, userId);
        return posts.find(postId, true).orElseThrow(() -> Publishing.postNotFound(postId));
    }

    /**
     * Which of these posts the viewer likes. {@code consistent}: read-your-writes, for the view of
     * one post (a like made a moment ago shows); lists read eventually consistent, at half the cost.
     */
    public java.util.Set<String> likedBy(String viewerId, java.util.List<String> postIds, boolean consistent) {
        return posts.likedBy(viewerId, postIds, consistent);
    }

    public Comment comment(String userId, String postId, String text) {
        accounts.me(userId);
        Text.requireLength("text", text, 1, MAX_COMMENT);
        notRemoved(visible(postId, userId));
        Comment comment = new Comment(ids.next(), postId, userId, text.strip(), clock.instant());
        posts.addComment(comment);
        return comment;
    }

    public Page<Comment> comments(String postId, String viewerId, int limit, Optional<PageToken> after) {
        visible(postId, viewerId);
        Page<Comment> read = posts.comments(postId, limit, after);
        // A comment a moderator took down is shown to its author alone (with why); to everyone else it is gone.
        Page<Comment> page = new Page<>(read.items().stream()
                .filter(c -> c.removed() == null || c.authorId().equals(viewerId)).toList(), read.next());
        java.util.Set<String> others = new java.util.LinkedHashSet<>();
        page.items().stream().map(Comment::authorId).filter(a -> !a.equals(viewerId)).forEach(others::add);
        if (others.isEmpty()) {
            return page;
        }
        // Comments of people blocked either way leave the list (the page may hold fewer than limit).
        java.util.Set<String> hidden = blocks.hidden(viewerId, others);
        return hidden.isEmpty() ? page : new Page<>(page.items().stream()
                .filter(c -> !hidden.contains(c.authorId())).toList(), page.next());
    }

    public void deleteComment(String userId, String postId, String commentId) {
        Post post = visible(postId, userId);
        Comment comment = posts.findComment(postId, commentId).orElseThrow(() -> SocialException.notFound(
                "comment_not_found", "No comment " + Text.quote(commentId) + " on this post."));
        if (!comment.authorId().equals(userId) && !post.authorId().equals(userId)) {
            throw SocialException.forbidden("Only the comment's author or the post's author can delete it.");
        }
        posts.deleteComment(comment);
    }

    /**
     * A post a moderator took down takes no new like or comment, from anyone: to others it is no post,
     * and its author may read it but not add to it.
     */
    private static Post notRemoved(Post post) {
        if (post.status() == PostStatus.REMOVED) {
            throw Publishing.postNotFound(post.id());
        }
        return post;
    }

    /** The post, if the user may see it (its author always, anyone once it is ready); otherwise no post. */
    private Post visible(String postId, String userId) {
        Post post = posts.find(postId, true).filter(p -> Publishing.visibleTo(p, userId))
                .orElseThrow(() -> Publishing.postNotFound(postId));
        if (!post.authorId().equals(userId) && (!blocks.hidden(userId, java.util.List.of(post.authorId())).isEmpty()
                || !privateAuthors.unreadable(userId, java.util.List.of(post.authorId())).isEmpty()
                || accounts.suspended(post.authorId()))) {
            throw Publishing.postNotFound(postId);
        }
        return post;
    }
}
