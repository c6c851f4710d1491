package dev.glint.shared.aws;

import dev.glint.shared.keys.Key;
import dev.glint.shared.keys.Keys;
import dev.glint.shared.ports.PostStore;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.SocialException;
import dev.glint.shared.social.Upload;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** {@link PostStore} on the table: every write that touches a post and its counts is one transaction. */
public final class DynamoPostStore implements PostStore {

    /** Upload records outlive their validity by a day, then TTL removes them. */
    private static final Duration UPLOAD_RECORD_GRACE = Duration.ofDays(1);

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoPostStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public void createUpload(Upload upload) {
        Map<String, AttributeValue> item = DynamoTable.item(Keys.upload(upload.id()), Map.of(
                "entity", s("upload"), "uploadId", s(upload.id()), "ownerId", s(upload.ownerId()),
                "objectKey", s(upload.objectKey()), "contentType", s(upload.contentType()),
                "contentLength", n(upload.contentLength()), "expiresAt", s(upload.expiresAt().toString()),
                "ttl", n(upload.expiresAt().plus(UPLOAD_RECORD_GRACE).getEpochSecond())));
        table.transact(List.of(table.put(item, "attribute_not_exists(pk)")));
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        return table.get(Keys.upload(uploadId), true).map(item -> new Upload(str(item, "uploadId"),
                str(item, "ownerId"), str(item, "objectKey"), str(item, "contentType"), num(item, "contentLength"),
                Instant.parse(str(item, "expiresAt")), str(item, "usedBy")));
    }

    @Override
    public void create(Post post) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "entity", s("post"), "postId", s(post.id()), "authorId", s(post.authorId()),
                "caption", s(post.caption()), "status", s(post.status().name()), "uploadId", s(post.uploadId()),
                "createdAt", s(post.createdAt().toString()), "likes", n(0), "comments", n(0), "version", n(post.version())));
        try {
            table.transact(List.of(
                    table.update(Keys.upload(post.uploadId()), "SET usedBy = :post", Map.of(),
                            Map.of(":post", s(post.id()), ":author", s(post.authorId())),
                            "ownerId = :author AND attribute_not_exists(usedBy)"),
                    table.put(DynamoTable.item(Keys.post(post.id()), item), "attribute_not_exists(pk)"),
                    table.put(DynamoTable.item(Keys.authorPost(post.authorId(), post.id()), Map.of(
                            "entity", s("author-post"), "postId", s(post.id()))), "attribute_not_exists(pk)"),
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
        return table.get(Keys.post(postId), consistent).map(DynamoPostStore::post);
    }

    @Override
    public List<Post> findAll(List<String> postIds, boolean consistent) {
        return table.getAll(postIds.stream().map(Keys::post).toList(), consistent).stream().map(DynamoPostStore::post).toList();
    }

    @Override
    public boolean markReady(String postId, Map<String, String> media) {
        Map<String, AttributeValue> renditions = new LinkedHashMap<>();
        media.forEach((name, key) -> renditions.put(name, s(key)));
        return changeStatus(postId, "SET #s = :ready, media = :media ADD version :one",
                Map.of(":ready", s(PostStatus.READY.name()), ":media", AttributeValue.fromM(renditions)));
    }

    @Override
    public boolean markFailed(String postId, String reason) {
        return changeStatus(postId, "SET #s = :failed, failureReason = :reason ADD version :one",
                Map.of(":failed", s(PostStatus.FAILED.name()), ":reason", s(reason)));
    }

    private boolean changeStatus(String postId, String expression, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":processing", s(PostStatus.PROCESSING.name()));
        all.put(":one", n(1));
        try {
            table.transact(List.of(table.update(Keys.post(postId), expression, Map.of("#s", "status"), all,
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
    public Page<String> postIdsByAuthor(String authorId, int limit, Optional<PageKey> after, boolean consistent) {
        return table.page(Keys.authorPostsPartition(authorId), null, true, limit, after, consistent,
                item -> str(item, "postId"));
    }

    /*
     * Likes and comments are single-item writes: their counts on the post are kept by the stream
     * processor (DynamoRollupStore), one update per few dozen events, so a popular post is not a hot item.
     */

    @Override
    public boolean like(String postId, String userId) {
        return putIfAbsent(DynamoTable.item(Keys.like(postId, userId), Map.of(
                "entity", s("like"), "postId", s(postId), "userId", s(userId), "createdAt", s(Instant.now().toString()))));
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

    private boolean deleteIfPresent(dev.glint.shared.keys.Key key) {
        try {
            client.deleteItem(r -> r.tableName(table.name()).key(DynamoTable.key(key)).conditionExpression("attribute_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void addComment(Comment comment) {
        putIfAbsent(DynamoTable.item(Keys.comment(comment.postId(), comment.id()), Map.of(
                "entity", s("comment"), "commentId", s(comment.id()), "postId", s(comment.postId()),
                "authorId", s(comment.authorId()), "text", s(comment.text()),
                "createdAt", s(comment.createdAt().toString()))));
    }

    @Override
    public Optional<Comment> findComment(String postId, String commentId) {
        return table.get(Keys.comment(postId, commentId), true).map(DynamoPostStore::comment);
    }

    @Override
    public boolean deleteComment(Comment comment) {
        return deleteIfPresent(Keys.comment(comment.postId(), comment.id()));
    }

    @Override
    public Page<Comment> comments(String postId, int limit, Optional<PageKey> after) {
        return table.page(Keys.postPartition(postId), Keys.COMMENT_PREFIX, false, limit, after, false, DynamoPostStore::comment);
    }

    @Override
    public Page<String> feed(String userId, int limit, Optional<PageKey> after) {
        return table.page(Keys.feedPartition(userId), null, true, limit, after, false, item -> str(item, "postId"));
    }

    static Post post(Map<String, AttributeValue> item) {
        Map<String, String> media = new LinkedHashMap<>();
        AttributeValue raw = item.get("media");
        if (raw != null && raw.hasM()) {
            raw.m().forEach((k, v) -> media.put(k, v.s()));
        }
        return new Post(str(item, "postId"), str(item, "authorId"), str(item, "caption"),
                PostStatus.valueOf(str(item, "status")), str(item, "uploadId"), Instant.parse(str(item, "createdAt")),
                num(item, "likes"), num(item, "comments"), Map.copyOf(media), str(item, "failureReason"), num(item, "version"));
    }

    private static Comment comment(Map<String, AttributeValue> item) {
        return new Comment(str(item, "commentId"), str(item, "postId"), str(item, "authorId"), str(item, "text"),
                Instant.parse(str(item, "createdAt")));
    }

}
