package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.SocialException;
import dev.glint.shared.social.Upload;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
        List<TransactWriteItem> steps = new ArrayList<>();
        for (Photo photo : post.photos()) {
            steps.add(table.update(Keys.upload(photo.uploadId()), "SET " + UploadItem.USED_BY + " = :post", Map.of(),
                    Map.of(":post", s(post.id()), ":author", s(post.authorId())),
                    UploadItem.OWNER_ID + " = :author AND attribute_not_exists(" + UploadItem.USED_BY + ")"));
        }
        steps.add(table.put(PostItem.toItem(post), "attribute_not_exists(pk)"));
        steps.add(table.put(PostItem.authorEntry(post.authorId(), post.id()), "attribute_not_exists(pk)"));
        steps.add(table.exists(Keys.userProfile(post.authorId())));
        try {
            table.transact(steps);
        } catch (DynamoTable.ConditionFailed e) {
            if (e.index() < post.photos().size()) {
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

    /**
     * One update of the photo's own map ({@code photos[i]}), conditional on the post processing and
     * the photo being the one asked for, returning the post as it now is; when every photo then has
     * its renditions, a second conditional update marks the post ready. Two photos finished at once
     * cannot both miss it: the later of the two updates sees both photos done.
     */
    @Override
    public PhotoSaved savePhoto(Post post, int index, Photo processed) {
        if (PostItem.legacy(post)) {
            return markLegacyReady(post, processed) ? PhotoSaved.POST_READY : PhotoSaved.NOT_PROCESSING;
        }
        String path = PostItem.PHOTOS + "[" + index + "]";
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":processing", s(PostStatus.PROCESSING.name()));
        values.put(":upload", s(processed.uploadId()));
        values.put(":media", PostItem.media(processed.media()));
        values.put(":w", n(processed.width()));
        values.put(":h", n(processed.height()));
        values.put(":blurhash", s(processed.blurhash()));
        values.put(":one", n(1));
        Map<String, AttributeValue> now;
        try {
            now = client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.post(post.id())))
                    .updateExpression("SET " + path + "." + PostItem.MEDIA + " = :media, " + path + "." + PostItem.WIDTH
                            + " = :w, " + path + "." + PostItem.HEIGHT + " = :h, " + path + "." + PostItem.BLURHASH
                            + " = :blurhash ADD " + PostItem.VERSION + " :one")
                    .conditionExpression("#s = :processing AND " + path + "." + PostItem.UPLOAD_ID + " = :upload")
                    .expressionAttributeNames(Map.of("#s", PostItem.STATUS))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException e) {
            return PhotoSaved.NOT_PROCESSING;
        }
        boolean all = PostItem.fromItem(now).photos().stream().allMatch(Photo::processed);
        if (!all) {
            return PhotoSaved.SAVED;
        }
        return changeStatus(post.id(), "SET #s = :ready ADD " + PostItem.VERSION + " :one",
                Map.of(":ready", s(PostStatus.READY.name()))) ? PhotoSaved.POST_READY : PhotoSaved.SAVED;
    }

    /** A post written before albums: its one photo's renditions beside it, and its photo list made now. */
    private boolean markLegacyReady(Post post, Photo photo) {
        return changeStatus(post.id(), "SET #s = :ready, " + PostItem.MEDIA + " = :media, " + PostItem.PHOTOS
                        + " = :photos ADD " + PostItem.VERSION + " :one",
                Map.of(":ready", s(PostStatus.READY.name()), ":media", PostItem.media(photo.media()),
                        ":photos", AttributeValue.fromL(List.of(PostItem.photo(keyed(post, photo))))));
    }

    /**
     * The one photo of a post written before albums, with the object key its upload had (the
     * uploads bucket's key is the owner's and the upload's), so the list written now is like any other.
     */
    private static Photo keyed(Post post, Photo photo) {
        return new Photo(photo.uploadId(), Keys.uploadObject(post.authorId(), photo.uploadId()), photo.altText(),
                photo.focalPoint(), photo.media(), photo.blurhash(), photo.width(), photo.height());
    }

    @Override
    public boolean editText(Post post, String caption, List<String> altTexts) {
        String postId = post.id();
        StringBuilder expression = new StringBuilder("SET " + PostItem.CAPTION + " = :caption");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":caption", s(caption));
        values.put(":one", n(1));
        String condition;
        if (PostItem.legacy(post)) {
            // Written before albums: its photo list is made now, from the one photo it has.
            expression.append(", ").append(PostItem.PHOTOS).append(" = :photos");
            values.put(":photos", AttributeValue.fromL(List.of(PostItem.photo(keyed(post, post.photos().get(0).withAltText(altTexts.get(0)))))));
            condition = "attribute_exists(pk) AND attribute_not_exists(" + PostItem.PHOTOS + ")";
        } else {
            values.put(":count", n(altTexts.size()));
            condition = "attribute_exists(pk) AND size(" + PostItem.PHOTOS + ") = :count";
        }
        for (int i = 0; i < altTexts.size() && !PostItem.legacy(post); i++) {
            expression.append(", ").append(PostItem.PHOTOS).append('[').append(i).append("].").append(PostItem.ALT_TEXT)
                    .append(" = :alt").append(i);
            values.put(":alt" + i, s(altTexts.get(i)));
        }
        expression.append(" ADD ").append(PostItem.VERSION).append(" :one");
        try {
            client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.post(postId)))
                    .updateExpression(expression.toString())
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
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
    public Set<String> likedBy(String userId, List<String> postIds, boolean consistent) {
        if (postIds.isEmpty()) {
            return Set.of();
        }
        return table.getAll(postIds.stream().map(postId -> Keys.like(postId, userId)).toList(), consistent).stream()
                .map(EngagementItem::likeFromItem).filter(like -> like.userId().equals(userId))
                .map(EngagementItem.Like::postId).collect(java.util.stream.Collectors.toSet());
    }

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
        return table.deleteIfPresent(key);
    }

    @Override
    public void addComment(Comment comment) {
        // The comment and where it is, together: a report may name the comment by its id alone.
        try {
            table.transact(List.of(table.put(EngagementItem.comment(comment), "attribute_not_exists(pk)"),
                    table.put(EngagementItem.commentLocator(comment), "attribute_not_exists(pk)")));
        } catch (DynamoTable.ConditionFailed e) {
            // written before (a retry): both are there
        }
    }

    @Override
    public Optional<String> postOfComment(String commentId) {
        return table.get(Keys.commentLocator(commentId), true).map(item -> str(item, "postId"));
    }

    @Override
    public Optional<Comment> findComment(String postId, String commentId) {
        return table.get(Keys.comment(postId, commentId), true).map(EngagementItem::commentFromItem);
    }

    @Override
    public boolean deleteComment(Comment comment) {
        // Where it is goes first: a comment without it is still found with its post's id; never the reverse.
        table.deleteIfPresent(Keys.commentLocator(comment.id()));
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
            // With the comments, where each is, written first: a purge that fails midway finds the comments again.
            List<Key> keys = new ArrayList<>();
            if (comments) {
                page.items().forEach(key -> keys.add(Keys.commentLocatorOf(key)));
            }
            keys.addAll(page.items());
            table.batchWrite(keys.stream().map(key -> WriteRequest.builder()
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
