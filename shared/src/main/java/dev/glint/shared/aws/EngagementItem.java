package dev.glint.shared.aws;

import dev.glint.shared.social.Comment;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * Likes and comments as items: a like exists once per (post, user), spread over the post's like
 * partitions ({@code LIKES#<post>#<shard>/LIKE#<user>}); a comment sorts under its post by id
 * ({@code POST#<post>/COMMENT#<id>}).
 */
final class EngagementItem {

    static final String LIKE = "like";
    static final String COMMENT = "comment";
    static final String COMMENT_LOCATOR = "comment-locator";

    private EngagementItem() {
    }

    /** A like as the item says it; {@code createdAt} may be absent on items written by hand. */
    record Like(String postId, String userId, Instant createdAt) {
    }

    static Map<String, AttributeValue> like(Like like) {
        return DynamoTable.referencing(DynamoTable.item(Keys.like(like.postId(), like.userId()), Map.of(ENTITY, s(LIKE),
                "postId", s(like.postId()), "userId", s(like.userId()), "createdAt", s(like.createdAt().toString()))),
                like.userId());
    }

    static Like likeFromItem(Map<String, AttributeValue> item) {
        return new Like(required(item, "postId"), required(item, "userId"), instant(item, "createdAt"));
    }

    static Map<String, AttributeValue> comment(Comment comment) {
        return DynamoTable.referencing(DynamoTable.item(Keys.comment(comment.postId(), comment.id()), Map.of(ENTITY, s(COMMENT),
                "commentId", s(comment.id()), "postId", s(comment.postId()), "authorId", s(comment.authorId()),
                "text", s(comment.text()), "createdAt", s(comment.createdAt().toString()))), comment.authorId());
    }

    /** Where the comment is: its post, by the comment's id alone, indexed under its author as the comment is. */
    static Map<String, AttributeValue> commentLocator(Comment comment) {
        return DynamoTable.referencing(DynamoTable.item(Keys.commentLocator(comment.id()), Map.of(ENTITY, s(COMMENT_LOCATOR),
                "postId", s(comment.postId()))), comment.authorId());
    }

    static Comment commentFromItem(Map<String, AttributeValue> item) {
        return new Comment(required(item, "commentId"), required(item, "postId"), required(item, "authorId"),
                DynamoTable.str(item, "text"), instant(item, "createdAt"), PostItem.removal(item));
    }
}
