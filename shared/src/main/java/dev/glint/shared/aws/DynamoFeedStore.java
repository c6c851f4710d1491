package dev.glint.shared.aws;

import dev.glint.shared.feed.FeedStore;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** {@link FeedStore} on the table. Feed entries expire by TTL, which bounds every feed. */
public final class DynamoFeedStore implements FeedStore {

    /** How long a pushed entry stays in a feed. */
    public static final Duration ENTRY_LIFETIME = Duration.ofDays(30);
    private static final Duration MARKER_LIFETIME = Duration.ofDays(2);
    /** How long a started promotion holds its claim before another post may start it again. */
    private static final Duration PROMOTION_CLAIM = Duration.ofDays(1);

    private final DynamoDbClient client;
    private final DynamoTable table;
    private final Clock clock;

    public DynamoFeedStore(DynamoDbClient client, String tableName, Clock clock) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
        this.clock = clock;
    }

    @Override
    public void push(String postId, String authorId, Collection<String> userIds) {
        long ttl = clock.instant().plus(ENTRY_LIFETIME).getEpochSecond();
        List<WriteRequest> writes = new ArrayList<>();
        for (String userId : new LinkedHashSet<>(userIds)) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(FeedItem.entry(userId, postId, authorId, ttl)).build()).build());
        }
        table.batchWrite(writes);
    }

    @Override
    public boolean pageDone(String postId, String page) {
        return table.get(Keys.fanoutPage(postId, page), true).isPresent();
    }

    @Override
    public void markPageDone(String postId, String page) {
        long ttl = clock.instant().plus(MARKER_LIFETIME).getEpochSecond();
        client.putItem(r -> r.tableName(table.name()).item(FeedItem.pageDone(postId, page, ttl)));
    }

    @Override
    public void followCelebrity(String userId, String celebrityId, Instant since) {
        client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.feedCelebrities(userId)))
                .updateExpression("SET #c = :since")
                .expressionAttributeNames(Map.of("#c", FeedItem.celebrityAttribute(celebrityId)))
                .expressionAttributeValues(Map.of(":since", n(since.toEpochMilli()))));
    }

    @Override
    public void unfollowCelebrity(String userId, String celebrityId) {
        try {
            // Conditional: an update of a missing item would create it.
            client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.feedCelebrities(userId)))
                    .updateExpression("REMOVE #c DELETE #legacy :id")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#c", FeedItem.celebrityAttribute(celebrityId),
                            "#legacy", FeedItem.LEGACY_CELEBRITIES))
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(celebrityId)))));
        } catch (ConditionalCheckFailedException e) {
            // the reader pulls from no celebrity at all
        }
    }

    @Override
    public boolean promoted(String authorId) {
        return table.get(Keys.celebrityPromoted(authorId), true).isPresent();
    }

    /** One batch write (the fan-out worker's role writes in batches): the mark, and the demotion claim freed. */
    @Override
    public void markPromoted(String authorId) {
        table.batchWrite(List.of(
                WriteRequest.builder().putRequest(PutRequest.builder().item(FeedItem.promoted(authorId)).build()).build(),
                delete(Keys.celebrityDemotionStarted(authorId))));
    }

    @Override
    public boolean startPromotion(String authorId) {
        return claim(FeedItem.promotionStarted(authorId, clock.instant().plus(PROMOTION_CLAIM).getEpochSecond()));
    }

    @Override
    public boolean startDemotion(String authorId) {
        return claim(FeedItem.demotionStarted(authorId, clock.instant().plus(PROMOTION_CLAIM).getEpochSecond()));
    }

    @Override
    public void markDemoted(String authorId) {
        table.batchWrite(List.of(delete(Keys.celebrityPromoted(authorId)), delete(Keys.celebrityPromotionStarted(authorId))));
    }

    private static WriteRequest delete(Key key) {
        return WriteRequest.builder().deleteRequest(r -> r.key(DynamoTable.key(key))).build();
    }

    /** A claim of a promotion or demotion: free, or expired (TTL deletes lazily, so an expired claim counts as none). */
    private boolean claim(Map<String, AttributeValue> item) {
        long now = clock.instant().getEpochSecond();
        try {
            client.putItem(r -> r.tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#ttl", DynamoTable.TTL))
                    .expressionAttributeValues(Map.of(":now", n(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void trim(String userId, int keep) {
        String pk = Keys.feedPartition(userId);
        // The newest entries to keep, and the celebrities item that sorts before them (if any): keys only.
        var kept = client.query(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk))).scanIndexForward(false)
                .projectionExpression("pk, sk").limit(keep + 1));
        List<Map<String, AttributeValue>> entries = kept.items().stream().filter(item -> !FeedItem.isCelebrities(item)).toList();
        boolean more = kept.hasLastEvaluatedKey() && !kept.lastEvaluatedKey().isEmpty();
        if (entries.size() < keep || (entries.size() == keep && !more)) {
            return;
        }
        // Everything older than the last entry kept goes.
        Map<String, AttributeValue> after = DynamoTable.key(new Key(str(entries.get(keep - 1), DynamoTable.PK),
                str(entries.get(keep - 1), DynamoTable.SK)));
        List<WriteRequest> deletes = new ArrayList<>();
        while (after != null) {
            Map<String, AttributeValue> start = after;
            var older = client.query(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(pk))).scanIndexForward(false)
                    .projectionExpression("pk, sk").exclusiveStartKey(start).limit(100));
            older.items().forEach(item -> deletes.add(WriteRequest.builder()
                    .deleteRequest(d -> d.key(DynamoTable.key(new Key(str(item, DynamoTable.PK), str(item, DynamoTable.SK)))))
                    .build()));
            after = older.hasLastEvaluatedKey() && !older.lastEvaluatedKey().isEmpty() ? older.lastEvaluatedKey() : null;
        }
        table.batchWrite(deletes);
    }

    @Override
    public FeedPage page(String userId, int limit, Optional<String> afterPostId) {
        String pk = Keys.feedPartition(userId);
        Map<String, AttributeValue> values = Map.of(":pk", s(pk));
        var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .tableName(table.name()).keyConditionExpression("pk = :pk").expressionAttributeValues(values)
                .scanIndexForward(false).limit(limit + (afterPostId.isEmpty() ? 1 : 0));
        afterPostId.ifPresent(after -> request.exclusiveStartKey(DynamoTable.key(Keys.feedEntry(userId, after))));
        var response = client.query(request.build());
        List<Entry> entries = new ArrayList<>();
        Map<String, Instant> celebrities = new HashMap<>();
        for (Map<String, AttributeValue> item : response.items()) {
            if (FeedItem.isCelebrities(item)) {
                celebrities.putAll(FeedItem.celebritiesOf(item));
            } else {
                entries.add(FeedItem.entryFromItem(item));
            }
        }
        boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
        return new FeedPage(entries, more, celebrities);
    }

    @Override
    public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds) {
        return hydrate(readerId, postIds, authorIds, false);
    }

    @Override
    public Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds, boolean withAffinity) {
        List<Key> keys = new ArrayList<>();
        if (withAffinity) {
            authorIds.stream().filter(a -> !a.equals(readerId)).forEach(a -> keys.add(Keys.affinity(readerId, a)));
        }
        postIds.forEach(id -> keys.add(Keys.post(id)));
        // Whether the reader likes each post, in the same batch: a feed page stays one query and one batch read.
        postIds.forEach(id -> keys.add(Keys.like(id, readerId)));
        authorIds.stream().filter(a -> !a.equals(readerId)).forEach(a -> keys.add(Keys.follows(readerId, a)));
        // Whether the reader muted each author, in the same batch: mutes cost a feed page no request,
        // however many there are. (Blocks need no key here: a block removes the follows both ways.)
        authorIds.stream().filter(a -> !a.equals(readerId)).forEach(a -> keys.add(Keys.mute(readerId, a)));
        authorIds.forEach(a -> keys.add(Keys.userProfile(a)));
        Map<String, Post> posts = new HashMap<>();
        Set<String> followed = new HashSet<>();
        Map<String, Profile> authors = new HashMap<>();
        Set<String> affinity = new HashSet<>();
        Set<String> liked = new HashSet<>();
        Set<String> muted = new HashSet<>();
        long now = clock.instant().getEpochSecond();
        for (Map<String, AttributeValue> item : table.getAll(keys, false)) {
            String entity = String.valueOf(str(item, ENTITY));
            if (entity.equals(PostItem.ENTITY_NAME)) {
                Post post = PostItem.fromItem(item);
                posts.put(post.id(), post);
            } else if (entity.equals(FollowItem.ENTITY_NAME)) {
                followed.add(FollowItem.edgeFromItem(item).followeeId());
            } else if (entity.equals(ProfileItem.ENTITY_NAME)) {
                Profile profile = ProfileItem.fromItem(item);
                authors.put(profile.id(), profile);
            } else if (entity.equals(EngagementItem.LIKE)) {
                EngagementItem.Like like = EngagementItem.likeFromItem(item);
                if (like.userId().equals(readerId)) {
                    liked.add(like.postId());
                }
            } else if (entity.equals(DynamoSafetyStore.MUTE)) {
                muted.add(DynamoSafetyStore.otherOf(item, readerId));
            } else if (entity.equals(AffinityItem.ENTITY_NAME) && AffinityItem.liveAt(item, now)) {
                // TTL deletes lazily: an expired interaction no longer counts.
                affinity.add(AffinityItem.authorOf(item));
            }
        }
        // A muted author's posts leave the reader's feed as an unfollowed author's do.
        followed.removeAll(muted);
        return new Hydrated(posts, followed, authors, affinity, liked);
    }
}
