package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.SocialException;
import dev.glint.shared.social.Upload;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** {@link PostStore} on the table: every write that touches several items is one transaction. */
public final class DynamoPostStore implements PostStore {

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoPostStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public void createUpload(Upload upload) {
        table.transact(List.of(table.put(UploadItem.toItem(upload), "attribute_not_exists(pk)")));
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        return table.get(Keys.upload(uploadId), true).map(UploadItem::fromItem);
    }

    @Override
    public void create(Post post) {
        try {
            table.transact(List.of(
                    table.update(Keys.upload(post.uploadId()), "SET " + UploadItem.USED_BY + " = :post", Map.of(),
                            Map.of(":post", s(post.id()), ":author", s(post.authorId())),
                            UploadItem.OWNER_ID + " = :author AND attribute_not_exists(" + UploadItem.USED_BY + ")"),
                    table.put(PostItem.toItem(post), "attribute_not_exists(pk)"),
                    table.put(PostItem.authorEntry(post.authorId(), post.id()), "attribute_not_exists(pk)"),
                    table.exists(Keys.userProfile(post.authorId()))));
        } catch (DynamoTable.ConditionFailed e) {
            if (e.index() == 0) {
                throw SocialException.conflict("upload_used", "This upload was already used for a post; upload the photo again.");
            }
            throw SocialException.notFound("profile_not_found", "Your profile no longer exists.");
        }
    }

    @Override
    public Optional<Post> find(String postId, boolean consistent) {
        return table.get(Keys.post(postId), consistent).map(PostItem::fromItem);
    }

    @Override
    public List<Post> findAll(List<String> postIds, boolean consistent) {
        return table.getAll(postIds.stream().map(Keys::post).toList(), consistent).stream().map(PostItem::fromItem).toList();
    }

    @Override
    public boolean markReady(String postId, Map<String, String> media) {
        return changeStatus(postId, "SET #s = :ready, " + PostItem.MEDIA + " = :media ADD " + PostItem.VERSION + " :one",
                Map.of(":ready", s(PostStatus.READY.name()), ":media", PostItem.media(media)));
    }

    @Override
    public boolean markFailed(String postId, String reason) {
        return changeStatus(postId, "SET #s = :failed, " + PostItem.FAILURE_REASON + " = :reason ADD " + PostItem.VERSION + " :one",
                Map.of(":failed", s(PostStatus.FAILED.name()), ":reason", s(reason)));
    }

    private boolean changeStatus(String postId, String expression, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":processing", s(PostStatus.PROCESSING.name()));
        all.put(":one", n(1));
        try {
            table.transact(List.of(table.update(Keys.post(postId), expression, Map.of("#s", PostItem.STATUS), all,
                    "#s = :processing")));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            return false;
        }
    }

    @Override
    public boolean delete(Post post) {
        try {
            table.transact(List.of(
                    table.delete(Keys.post(post.id()), "attribute_exists(pk)", Map.of()),
                    table.delete(Keys.authorPost(post.authorId(), post.id()), "attribute_exists(pk)", Map.of())));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            return false;
        }
    }

    @Override
    public Page<String> postIdsByAuthor(String authorId, int limit, Optional<PageToken> after, boolean consistent) {
        return table.page(Keys.authorPostsPartition(authorId), null, true, limit, after, consistent, PostItem::postIdOf);
    }

    @Override
    public Recent recentPostIds(String authorId, int limit, Optional<String> afterPostId) {
        Optional<PageToken> start = afterPostId.map(id -> DynamoTable.token(DynamoTable.key(Keys.authorPost(authorId, id))));
        Page<String> page = postIdsByAuthor(authorId, limit, start, false);
        return new Recent(page.items(), page.next().isPresent());
    }

    /*
     * Likes and comments are single-item writes: their counts on the post are kept by the stream
     * processor (DynamoRollupStore), one update per few dozen events, so a popular post is not a hot item.
     */

    @Override
    public boolean like(String postId, String userId) {
        return putIfAbsent(EngagementItem.like(new EngagementItem.Like(postId, userId, Instant.now())));
    }

    @Override
    public boolean unlike(String postId, String userId) {
        return deleteIfPresent(Keys.like(postId, userId));
    }

    private boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            client.putItem(r -> r.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private boolean deleteIfPresent(Key key) {
        try {
            client.deleteItem(r -> r.tableName(table.name()).key(DynamoTable.key(key)).conditionExpression("attribute_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void addComment(Comment comment) {
        putIfAbsent(EngagementItem.comment(comment));
    }

    @Override
    public Optional<Comment> findComment(String postId, String commentId) {
        return table.get(Keys.comment(postId, commentId), true).map(EngagementItem::commentFromItem);
    }

    @Override
    public boolean deleteComment(Comment comment) {
        return deleteIfPresent(Keys.comment(comment.postId(), comment.id()));
    }

    @Override
    public Page<Comment> comments(String postId, int limit, Optional<PageToken> after) {
        return table.page(Keys.postPartition(postId), Keys.COMMENT_PREFIX, false, limit, after, false,
                EngagementItem::commentFromItem);
    }

    /**
     * The comments (in the post's partition) and the likes (in its {@link Keys#LIKE_SHARDS} like
     * partitions), partition by partition: each call deletes from the top of the current partition
     * (what it deleted is gone), read strongly so nothing deleted is read again. The token names the
     * partition to go on with.
     */
    @Override
    public Optional<PageToken> purgeEngagement(String postId, Optional<PageToken> from, int limit) {
        int partition = from.map(token -> Integer.parseInt(token.parts().get("partition"))).orElse(0);
        int deleted = 0;
        while (partition <= Keys.LIKE_SHARDS && deleted < limit) {
            boolean comments = partition == 0;
            String pk = comments ? Keys.postPartition(postId) : Keys.likesPartition(postId, partition - 1);
            int room = limit - deleted;
            var page = table.page(pk, comments ? Keys.COMMENT_PREFIX : null, false, room, Optional.empty(), true,
                    item -> new Key(str(item, DynamoTable.PK), str(item, DynamoTable.SK)));
            table.batchWrite(page.items().stream().map(key -> WriteRequest.builder()
                    .deleteRequest(d -> d.key(DynamoTable.key(key))).build()).toList());
            deleted += page.items().size();
            if (page.next().isEmpty()) {
                partition++;
            }
        }
        return partition > Keys.LIKE_SHARDS ? Optional.empty()
                : Optional.of(PageToken.ofParts(Map.of("partition", Integer.toString(partition))));
    }
}
