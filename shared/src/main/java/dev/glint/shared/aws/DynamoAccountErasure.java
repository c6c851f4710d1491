package dev.glint.shared.aws;

import dev.glint.shared.account.ErasureLedger;
import dev.glint.shared.account.ErasureStep;
import dev.glint.shared.account.IdentityDirectory;
import dev.glint.shared.ids.Digests;
import dev.glint.shared.social.Hashtags;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.SearchTerms;
import dev.glint.shared.ids.Ids;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.PK;
import static dev.glint.shared.aws.DynamoTable.SK;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Account erasure on the table and the buckets: the tombstone ({@link ErasureLedger}) and the steps, in
 * order. Every step finds its items by key: the user's own partitions, the lists that name whom they
 * follow and who follows them, their posts, and the {@code gsi1} partition {@link Keys#userReferences}
 * under which every item naming them elsewhere is indexed. Nothing scans.
 */
public final class DynamoAccountErasure implements ErasureLedger {

    static final String ENTITY_NAME = "erasure";
    /** How long a finished tombstone stays: longer than any sign-in token lives (Cognito's ID tokens: 1 h to 1 day). */
    static final Duration KEPT_AFTER_FINISH = Duration.ofDays(2);
    private static final int POSTS_A_PAGE = 10;
    private static final int PEOPLE_A_PAGE = 25;
    private static final int ITEMS_A_PAGE = 100;
    /** Quota items live two days after their day; three back covers them. */
    private static final int QUOTA_DAYS_BACK = 3;

    private final DynamoDbClient client;
    private final DynamoTable table;
    private final S3Client s3;
    private final String uploadsBucket;
    private final String mediaBucket;
    private final IdentityDirectory identities;

    /** The step every erasure starts with. */
    public static final String FIRST_STEP = "sign-in";

    /** The tombstones only (the api's): {@link #steps} needs the buckets and the user pool. */
    public DynamoAccountErasure(DynamoDbClient client, String tableName) {
        this(client, tableName, null, null, null, null);
    }

    public DynamoAccountErasure(DynamoDbClient client, String tableName, S3Client s3, String uploadsBucket,
                                String mediaBucket, IdentityDirectory identities) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
        this.s3 = s3;
        this.uploadsBucket = uploadsBucket;
        this.mediaBucket = mediaBucket;
        this.identities = identities;
    }

    /** The tombstone's key part: a digest of the id, so the tombstone names nobody. */
    public static String digest(String userId) {
        return Digests.sha256Hex(userId, 32);
    }

    // ---- the tombstone ----

    @Override
    public Start start(String userId, Instant now) {
        Key tombstone = Keys.erasure(digest(userId));
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(table.put(DynamoTable.item(tombstone, Map.of(ENTITY, s(ENTITY_NAME), "page", n(0),
                    "startedAt", s(now.toString()))), "attribute_not_exists(pk)"));
            Optional<Map<String, AttributeValue>> profile = table.get(Keys.userProfile(userId), true);
            profile.ifPresent(item -> {
                // As it was read: a rename in between fails the step and the profile is read again.
                items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(DynamoTable.key(Keys.userProfile(userId))).conditionExpression("#v = :v")
                        .expressionAttributeNames(Map.of("#v", ProfileItem.VERSION))
                        .expressionAttributeValues(Map.of(":v", n(num(item, ProfileItem.VERSION))))).build());
                String handle = str(item, ProfileItem.HANDLE);
                if (handle != null) {
                    items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                            .key(DynamoTable.key(Keys.handle(handle)))).build());
                    for (String term : SearchTerms.of(handle, str(item, ProfileItem.DISPLAY_NAME))) {
                        items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                                .key(DynamoTable.key(Keys.searchEntry(term, userId)))).build());
                    }
                }
            });
            try {
                table.transact(items);
                return Start.STARTED;
            } catch (DynamoTable.ConditionFailed e) {
                if (e.index() == 0) {
                    return progress(userId).map(p -> p.finished() ? Start.ALREADY_FINISHED : Start.ALREADY_RUNNING)
                            .orElse(Start.ALREADY_RUNNING);
                }
                if (attempt >= 5) {
                    throw new IllegalStateException("the profile kept changing while its erasure started", e);
                }
            }
        }
    }

    @Override
    public Optional<Progress> progress(String userId) {
        return table.get(Keys.erasure(digest(userId)), true)
                .map(item -> new Progress(num(item, "page"), item.containsKey("finishedAt")));
    }

    @Override
    public void advance(String userId, long page) {
        try {
            client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.erasure(digest(userId))))
                    .updateExpression("SET #p = :next")
                    .conditionExpression("#p = :page")
                    .expressionAttributeNames(Map.of("#p", "page"))
                    .expressionAttributeValues(Map.of(":page", n(page), ":next", n(page + 1))));
        } catch (ConditionalCheckFailedException e) {
            // a copy of this page recorded it first
        }
    }

    @Override
    public void finish(String userId, Instant now) {
        // What stays is the digest, when it finished and when it goes: the progress and start time are removed.
        // An update (not a put), so the worker's role needs no PutItem.
        client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.erasure(digest(userId))))
                .updateExpression("SET #f = :f, #ttl = :ttl REMOVE #p, #s")
                .expressionAttributeNames(Map.of("#f", "finishedAt", "#ttl", TTL, "#p", "page", "#s", "startedAt"))
                .expressionAttributeValues(Map.of(":f", s(now.toString()),
                        ":ttl", n(now.plus(KEPT_AFTER_FINISH).getEpochSecond()))));
    }

    @Override
    public boolean erased(String userId) {
        return table.get(Keys.erasure(digest(userId)), true).isPresent();
    }

    // ---- the steps, in order ----

    /** The steps in the order they run: sign-in first (no new tokens), the user's own partitions last. */
    public List<ErasureStep> steps() {
        if (s3 == null || identities == null) {
            throw new IllegalStateException("these tombstones were made without the buckets and the user pool the steps need");
        }
        return List.of(
                step(FIRST_STEP, (userId, cursor) -> {
                    identities.delete(userId);
                    return Optional.empty();
                }),
                step("posts", (userId, cursor) -> posts(userId)),
                step("followers", (userId, cursor) -> followers(userId)),
                step("following", (userId, cursor) -> following(userId)),
                step("follow-requests", this::followRequests),
                step("references", this::references),
                step("reports", this::reports),
                step("moderation-log", this::moderationLog),
                step("own-items", this::ownItems),
                step("uploads", this::uploads),
                step("exports", this::exports));
    }

    private interface Page {
        Optional<String> erase(String userId, Optional<String> cursor);
    }

    private static ErasureStep step(String name, Page page) {
        return new ErasureStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> erasePage(String userId, Optional<String> cursor) {
                return page.erase(userId, cursor);
            }
        };
    }

    /** Whether more may follow a page that came back full: a marker, since each page deletes what it read. */
    private static final String MORE = "more";

    /**
     * A page of the user's posts, each with everything hanging off it: its renditions, likes, comments,
     * fan-out markers, tag index entries and realtime subscriptions, then the post and its list entry.
     * Removing the post is what the stream processor counts (the author's post count) and unindexes, as for
     * any deleted post; feed entries go with the followers (one query a follower, not one delete a post and follower).
     */
    private Optional<String> posts(String userId) {
        List<Map<String, AttributeValue>> page = query(Keys.authorPostsPartition(userId), POSTS_A_PAGE);
        for (Map<String, AttributeValue> entry : page) {
            String postId = str(entry, SK);
            Optional<Post> post = table.get(Keys.post(postId), true).map(PostItem::fromItem);
            deleteObjects(mediaBucket, Keys.renditionPrefix(postId));
            List<Key> comments = all(Keys.postPartition(postId), Keys.COMMENT_PREFIX).stream()
                    .map(item -> new Key(str(item, PK), str(item, SK))).toList();
            // Where each comment is (it names the post) first, so a page that fails midway finds the comments again.
            deleteKeys(comments.stream().map(Keys::commentLocatorOf).toList());
            deleteKeys(comments);
            for (int shard = 0; shard < Keys.LIKE_SHARDS; shard++) {
                deletePartition(Keys.likesPartition(postId, shard), null);
            }
            deletePartition(Keys.fanoutPage(postId, "first").pk(), null);
            unsubscribe(new dev.glint.shared.realtime.Topic.PostCounts(postId).name());
            post.ifPresent(p -> {
                if (Ids.valid(p.id())) {
                    String day = Hashtags.day(Ids.timeOf(p.id()));
                    deleteKeys(Hashtags.of(p.caption()).stream().map(tag -> Keys.tagEntry(tag, day, postId)).toList());
                }
            });
            deleteKeys(List.of(Keys.post(postId), Keys.authorPost(userId, postId)));
        }
        return page.size() < POSTS_A_PAGE ? Optional.empty() : Optional.of(MORE);
    }

    /** Other people's connections subscribed to a topic of the user's: the subscription and the topic on the connection. */
    private void unsubscribe(String topic) {
        for (Map<String, AttributeValue> item : all(Keys.topicSubscribersPartition(topic), null)) {
            String connectionId = str(item, ConnectionItem.CONNECTION_ID);
            String subscriber = str(item, ConnectionItem.USER_ID);
            if (connectionId != null && subscriber != null) {
                try {
                    client.updateItem(r -> r.tableName(table.name())
                            .key(DynamoTable.key(Keys.userConnection(subscriber, connectionId)))
                            .updateExpression("DELETE #t :t").conditionExpression("attribute_exists(pk)")
                            .expressionAttributeNames(Map.of("#t", ConnectionItem.TOPICS))
                            .expressionAttributeValues(Map.of(":t", AttributeValue.fromSs(List.of(topic)))));
                } catch (ConditionalCheckFailedException e) {
                    // that connection closed
                }
            }
            deleteKeys(List.of(new Key(str(item, PK), str(item, SK))));
        }
    }

    /**
     * A page of the user's followers: the user's posts leave each follower's feed (one query of the feed,
     * at most 800 entries, filtered by author), the user leaves their pulled celebrities, and the follow goes
     * (edge and both list entries; the stream processor lowers the follower's following count).
     */
    private Optional<String> followers(String userId) {
        List<Map<String, AttributeValue>> page = query(Keys.followersPartition(userId), PEOPLE_A_PAGE);
        for (Map<String, AttributeValue> entry : page) {
            String follower = str(entry, "userId");
            String orderId = str(entry, FollowItem.ORDER_ID);
            removeFromFeed(follower, userId);
            deleteKeys(List.of(Keys.follows(follower, userId), Keys.followingEntry(follower, orderId, userId),
                    Keys.followerEntry(userId, orderId, follower)));
        }
        return page.size() < PEOPLE_A_PAGE ? Optional.empty() : Optional.of(MORE);
    }

    private void removeFromFeed(String readerId, String authorId) {
        List<Key> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse response = client.query(r -> {
                r.tableName(table.name()).keyConditionExpression("pk = :pk")
                        .filterExpression("authorId = :a").projectionExpression("pk, sk")
                        .expressionAttributeValues(Map.of(":pk", s(Keys.feedPartition(readerId)), ":a", s(authorId)));
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            response.items().forEach(item -> entries.add(new Key(str(item, PK), str(item, SK))));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        deleteKeys(entries);
        try {
            // Conditional: an update of a missing item would create it.
            client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.feedCelebrities(readerId)))
                    .updateExpression("REMOVE #c DELETE #legacy :id").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#c", FeedItem.celebrityAttribute(authorId),
                            "#legacy", FeedItem.LEGACY_CELEBRITIES))
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(authorId)))));
        } catch (ConditionalCheckFailedException e) {
            // the reader pulls from no celebrity
        }
    }

    /** A page of whom the user follows: each follow goes (the stream processor lowers the followee's follower count). */
    private Optional<String> following(String userId) {
        List<Map<String, AttributeValue>> page = query(Keys.followingPartition(userId), PEOPLE_A_PAGE);
        for (Map<String, AttributeValue> entry : page) {
            String followee = str(entry, "userId");
            String orderId = str(entry, FollowItem.ORDER_ID);
            deleteKeys(List.of(Keys.follows(userId, followee), Keys.followingEntry(userId, orderId, followee),
                    Keys.followerEntry(followee, orderId, userId)));
        }
        return page.size() < PEOPLE_A_PAGE ? Optional.empty() : Optional.of(MORE);
    }

    /**
     * A page of the follow requests pending either way: first those the user made (the edges in their
     * partition name each owner; the owner's list entry goes too), then those made to them (their list
     * names each requester; the requester's edge goes too). An approval racing this finds the user's
     * profile gone (erasure's start removed it) and makes no follow.
     */
    private Optional<String> followRequests(String userId, Optional<String> cursor) {
        if (cursor.isEmpty() || cursor.get().equals(MORE)) {
            String prefix = Keys.followRequest(userId, "x").sk();
            List<Map<String, AttributeValue>> page = queryPrefix(Keys.userPartition(userId),
                    prefix.substring(0, prefix.length() - 1), PEOPLE_A_PAGE);
            List<Key> keys = new ArrayList<>();
            for (Map<String, AttributeValue> edge : page) {
                String owner = str(edge, "ownerId");
                keys.add(new Key(str(edge, PK), str(edge, SK)));
                if (owner != null && str(edge, "orderId") != null) {
                    keys.add(Keys.followRequestEntry(owner, str(edge, "orderId"), userId));
                }
            }
            deleteKeys(keys);
            return Optional.of(page.size() < PEOPLE_A_PAGE ? REQUESTS_TO_THEM : MORE);
        }
        List<Map<String, AttributeValue>> page = query(Keys.followRequestsPartition(userId), PEOPLE_A_PAGE);
        List<Key> keys = new ArrayList<>();
        for (Map<String, AttributeValue> entry : page) {
            keys.add(new Key(str(entry, PK), str(entry, SK)));
            String requester = str(entry, "userId");
            if (requester != null) {
                keys.add(Keys.followRequest(requester, userId));
            }
        }
        deleteKeys(keys);
        return page.size() < PEOPLE_A_PAGE ? Optional.empty() : Optional.of(REQUESTS_TO_THEM);
    }

    private static final String REQUESTS_TO_THEM = "to-them";

    /**
     * A page of the reports indexed under the user (after {@link #references}, which leaves them, so a
     * comment reported before the comment went is found too). A report of their account, a post or a
     * comment goes with its reporters' markers and its queue entry: the moderators' queue holds nothing of
     * theirs. A report they filed loses them: their marker goes and the report counts one reporter and one
     * of the reason fewer (and drops the details if they were theirs, the latest); an open report only they
     * made goes with its queue entry, a decided one stays (it is the record of a decision about someone else).
     */
    private Optional<String> reports(String userId, Optional<String> cursor) {
        String prefix = Keys.report("x").pk();
        QueryResponse response = indexPage(userId, prefix.substring(0, prefix.length() - 1), cursor);
        for (Map<String, AttributeValue> entry : response.items()) {
            Key key = new Key(str(entry, PK), str(entry, SK));
            if (key.sk().equals(Keys.report("x").sk())) {
                eraseReport(key.pk());
            } else {
                withdraw(key);
            }
        }
        return indexCursor(response);
    }

    /** A report and everything in its partition (the reporters' markers), and its queue entry. */
    private void eraseReport(String reportPk) {
        List<Map<String, AttributeValue>> items = all(reportPk, null);
        List<Key> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            keys.add(new Key(str(item, PK), str(item, SK)));
            if (ModerationItem.REPORT.equals(str(item, ENTITY)) && str(item, ModerationItem.QUEUE_ID) != null) {
                keys.add(Keys.moderationQueueEntry(str(item, ModerationItem.QUEUE_ID), str(item, "reportId")));
            }
        }
        deleteKeys(keys);
    }

    /**
     * The user's report of someone else's thing withdrawn, with the worker's writes (updates and batch
     * deletes, no transaction): the marker goes first, then the report counts one reporter (and one of the
     * reason) fewer and drops the details if they were the user's, the latest. A page that dies between the
     * two finds the marker gone when run again and leaves the report counting one reporter too many, never
     * too few. An open report only they made goes with its queue entry.
     */
    private void withdraw(Key markerKey) {
        Optional<Map<String, AttributeValue>> marker = table.get(markerKey, true);
        if (marker.isEmpty()) {
            return;
        }
        String reason = str(marker.get(), "reason");
        String details = str(marker.get(), "details");
        Key reportKey = new Key(markerKey.pk(), Keys.report("x").sk());
        for (int attempt = 1; ; attempt++) {
            Optional<Map<String, AttributeValue>> report = table.get(reportKey, true);
            if (report.isEmpty()) {
                deleteKeys(List.of(markerKey));
                return;
            }
            long reporters = num(report.get(), ModerationItem.REPORTERS);
            boolean open = dev.glint.shared.moderation.Report.Status.OPEN.name().equals(str(report.get(), ModerationItem.STATUS));
            if (open && reporters <= 1) {
                List<Key> keys = new ArrayList<>(List.of(markerKey, reportKey));
                String queueId = str(report.get(), ModerationItem.QUEUE_ID);
                if (queueId != null) {
                    keys.add(Keys.moderationQueueEntry(queueId, str(report.get(), "reportId")));
                }
                deleteKeys(keys);
                return;
            }
            deleteKeys(List.of(markerKey));
            Map<String, String> names = new HashMap<>();
            names.put("#r", ModerationItem.REPORTERS);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":seen", n(reporters));
            values.put(":minus", n(-1));
            List<String> add = new ArrayList<>(List.of("#r :minus"));
            List<String> remove = new ArrayList<>();
            if (reason != null && report.get().containsKey(ModerationItem.REASON_PREFIX + reason)) {
                names.put("#reason", ModerationItem.REASON_PREFIX + reason);
                if (num(report.get(), ModerationItem.REASON_PREFIX + reason) <= 1) {
                    remove.add("#reason");
                } else {
                    add.add("#reason :minus");
                }
            }
            if (details != null && details.equals(str(report.get(), "details"))) {
                names.put("#d", "details");
                remove.add("#d");
            }
            String expression = "ADD " + String.join(", ", add) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
            try {
                client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(reportKey)).updateExpression(expression)
                        .conditionExpression("#r = :seen").expressionAttributeNames(names).expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException e) {
                // Another reporter or a decision came in between: read the report again.
                if (attempt >= 5) {
                    throw new IllegalStateException("a report kept changing while its reporter was erased", e);
                }
            }
        }
    }

    /**
     * A page of the moderation log's lines about the user's account or things: each keeps what was decided,
     * by whom, when and why, and loses the report's and the things' ids, the owner and its place in the
     * index (so the next page reads on from there). The log is the moderators' record; it no longer says whose.
     */
    private Optional<String> moderationLog(String userId, Optional<String> cursor) {
        QueryResponse response = indexPage(userId, Keys.moderationAction("x").pk(), cursor);
        for (Map<String, AttributeValue> entry : response.items()) {
            Map<String, String> names = new HashMap<>();
            List<String> removed = new ArrayList<>();
            for (String attribute : ModerationItem.NAMING_OWNER) {
                names.put("#a" + removed.size(), attribute);
                removed.add("#a" + removed.size());
            }
            names.put("#e", ModerationItem.ERASED);
            try {
                client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(new Key(str(entry, PK), str(entry, SK))))
                        .updateExpression("SET #e = :t REMOVE " + String.join(", ", removed))
                        .conditionExpression("attribute_exists(pk)").expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            } catch (ConditionalCheckFailedException e) {
                // not there (a stale index entry)
            }
        }
        return indexCursor(response);
    }

    /** A page of the user's index entries whose items' partitions start with the prefix, from the cursor on. */
    private QueryResponse indexPage(String userId, String pkPrefix, Optional<String> cursor) {
        return client.query(r -> {
            r.tableName(table.name()).indexName(GlintIndex.NAME).keyConditionExpression("#p = :p AND begins_with(#s, :prefix)")
                    .expressionAttributeNames(Map.of("#p", DynamoTable.GSI1PK, "#s", DynamoTable.GSI1SK))
                    .expressionAttributeValues(Map.of(":p", s(Keys.userReferences(userId)), ":prefix", s(pkPrefix)))
                    .limit(PEOPLE_A_PAGE);
            cursor.ifPresent(c -> r.exclusiveStartKey(indexKey(userId, c)));
        });
    }

    private static Optional<String> indexCursor(QueryResponse response) {
        if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(str(response.lastEvaluatedKey(), DynamoTable.GSI1SK));
    }

    /** Items of the index that other steps erase in their own way: reports ({@link #reports}) and log lines ({@link #moderationLog}). */
    private static boolean erasedElsewhere(String pk) {
        String report = Keys.report("x").pk();
        return pk.startsWith(report.substring(0, report.length() - 1)) || pk.equals(Keys.moderationAction("x").pk());
    }

    /**
     * A page of the items that name the user outside their own partitions, from the index: their likes and
     * comments (the stream processor lowers the posts' counts), the notifications they caused, others'
     * blocks and mutes of them, others' interactions with them, their uploads, experiment markers and topic
     * subscriptions. The cursor is the index's last key, so a stale index entry is not read twice.
     */
    private Optional<String> references(String userId, Optional<String> cursor) {
        QueryResponse response = client.query(r -> {
            r.tableName(table.name()).indexName(GlintIndex.NAME).keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", DynamoTable.GSI1PK))
                    .expressionAttributeValues(Map.of(":p", s(Keys.userReferences(userId)))).limit(ITEMS_A_PAGE);
            cursor.ifPresent(c -> r.exclusiveStartKey(indexKey(userId, c)));
        });
        deleteKeys(response.items().stream().map(item -> new Key(str(item, PK), str(item, SK)))
                .filter(key -> !erasedElsewhere(key.pk())).toList());
        return indexCursor(response);
    }

    /** The index's start key from its sort key, which is the item's {@code pk|sk}. */
    private static Map<String, AttributeValue> indexKey(String userId, String gsi1sk) {
        int bar = gsi1sk.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException("not an erasure cursor: " + gsi1sk);
        }
        return Map.of(DynamoTable.GSI1PK, s(Keys.userReferences(userId)), DynamoTable.GSI1SK, s(gsi1sk),
                PK, s(gsi1sk.substring(0, bar)), SK, s(gsi1sk.substring(bar + 1)));
    }

    /**
     * The user's own partitions, one after another (the cursor is the partition's place in the list):
     * profile, blocks, mutes and preferences; feed; notifications and their once-markers; idempotency
     * keys; interactions; connections; digests sent; promotion markers; what is left of the lists; data exports
     * and their slot. Then
     * the few items of theirs found by key: the digest index entries and the recent quota items.
     */
    private Optional<String> ownItems(String userId, Optional<String> cursor) {
        List<String> partitions = List.of(Keys.userPartition(userId), Keys.feedPartition(userId),
                Keys.notificationsPartition(userId), Keys.notificationOnce(userId, "x", "x", "x").pk(),
                Keys.idempotency(userId, "x").pk(), Keys.affinity(userId, "x").pk(),
                Keys.userConnectionsPartition(userId), Keys.digestSent(userId, "x").pk(),
                Keys.celebrityPromoted(userId).pk(), Keys.followingPartition(userId), Keys.followersPartition(userId),
                Keys.authorPostsPartition(userId), Keys.exportsPartition(userId));
        int index = cursor.map(Integer::parseInt).orElse(0);
        if (index < partitions.size()) {
            List<Map<String, AttributeValue>> page = query(partitions.get(index), ITEMS_A_PAGE);
            deleteKeys(page.stream().map(item -> new Key(str(item, PK), str(item, SK))).toList());
            return Optional.of(Integer.toString(page.size() < ITEMS_A_PAGE ? index + 1 : index));
        }
        List<Key> keys = new ArrayList<>();
        for (String frequency : List.of("daily", "weekly")) {
            keys.add(Keys.digestIndexEntry(frequency, Keys.digestShard(userId), userId));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int back = -1; back <= QUOTA_DAYS_BACK; back++) {
            keys.add(Keys.quota(userId, today.minusDays(back).toString()));
        }
        deleteKeys(keys);
        return Optional.empty();
    }

    /** A page of the user's originals in the uploads bucket (those no post used, or not yet processed). */
    private Optional<String> uploads(String userId, Optional<String> cursor) {
        String object = Keys.uploadObject(userId, "x");
        String prefix = object.substring(0, object.length() - 1);
        var listed = s3.listObjectsV2(r -> r.bucket(uploadsBucket).prefix(prefix).maxKeys(1000));
        deleteObjects(uploadsBucket, listed.contents().stream().map(o -> o.key()).toList());
        return listed.isTruncated() ? Optional.of(MORE) : Optional.empty();
    }

    /**
     * A page of the user's data export archives under {@code exports/<user>/} (their records went with the
     * user's own items). An export still being built when its record went deletes the archive it then writes.
     */
    private Optional<String> exports(String userId, Optional<String> cursor) {
        var listed = s3.listObjectsV2(r -> r.bucket(uploadsBucket).prefix(Keys.exportObjectPrefix(userId)).maxKeys(1000));
        deleteObjects(uploadsBucket, listed.contents().stream().map(o -> o.key()).toList());
        return listed.isTruncated() ? Optional.of(MORE) : Optional.empty();
    }

    // ---- helpers ----

    /** The first items of a partition, read strongly (each page deletes what it read, so the next starts at the top). */
    private List<Map<String, AttributeValue>> query(String pk, int limit) {
        return client.query(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk))).consistentRead(true).limit(limit)).items();
    }

    /** The first items of a partition under a sort-key prefix, read strongly. */
    private List<Map<String, AttributeValue>> queryPrefix(String pk, String skPrefix, int limit) {
        return client.query(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":p", s(skPrefix))).consistentRead(true).limit(limit)).items();
    }

    /** Every item of a partition (optionally of a sort-key prefix), read strongly. */
    private List<Map<String, AttributeValue>> all(String pk, String skPrefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse response = client.query(r -> {
                r.tableName(table.name()).consistentRead(true);
                if (skPrefix == null) {
                    r.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)));
                } else {
                    r.keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                            .expressionAttributeValues(Map.of(":pk", s(pk), ":p", s(skPrefix)));
                }
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private void deletePartition(String pk, String skPrefix) {
        deleteKeys(all(pk, skPrefix).stream().map(item -> new Key(str(item, PK), str(item, SK))).toList());
    }

    private void deleteKeys(List<Key> keys) {
        List<WriteRequest> writes = new LinkedHashSet<>(keys).stream()
                .map(key -> WriteRequest.builder().deleteRequest(d -> d.key(DynamoTable.key(key))).build()).toList();
        if (!writes.isEmpty()) {
            table.batchWrite(writes);
        }
    }

    private void deleteObjects(String bucket, String prefix) {
        String token = null;
        do {
            String from = token;
            var listed = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).continuationToken(from));
            deleteObjects(bucket, listed.contents().stream().map(o -> o.key()).toList());
            token = listed.isTruncated() ? listed.nextContinuationToken() : null;
        } while (token != null);
    }

    private void deleteObjects(String bucket, List<String> keys) {
        for (int start = 0; start < keys.size(); start += 1000) {
            List<ObjectIdentifier> chunk = keys.subList(start, Math.min(keys.size(), start + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(chunk).quiet(true)));
        }
    }

    /** The table's one index, as {@code GlintResources} names it. */
    private static final class GlintIndex {
        static final String NAME = dev.glint.shared.resources.GlintResources.TABLE.indexes().get(0).name();
    }
}
