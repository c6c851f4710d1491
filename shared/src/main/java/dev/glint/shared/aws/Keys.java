package dev.glint.shared.aws;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds every partition and sort key Glint writes, and every object key in the buckets. Nothing
 * else concatenates key strings, so re-keying or sharding an access pattern is a change to this one
 * class. The access patterns are listed in {@code shared/ACCESS_PATTERNS.md}.
 *
 * <p>Entity prefixes are upper-case words ending in {@code #}; identifiers follow and may not contain
 * the separator.
 */
public final class Keys {

    static final String SEP = "#";
    /** The sort keys of an experiment's rollups per revision begin with it. */
    public static final String REVISION_PREFIX = "REVISION" + SEP;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");
    /** A search term or prefix: lower-case letters (any script) and digits, never the separator. */
    private static final Pattern SEARCH_TERM = Pattern.compile("[\\p{L}\\p{N}]{2,40}");
    /** Characters of a term that choose its search partition. */
    static final int SEARCH_PARTITION_CHARS = 2;

    public static final String PROFILE = "PROFILE";
    public static final String FOLLOWS_PREFIX = "FOLLOWS" + SEP;
    public static final String LIKE_PREFIX = "LIKE" + SEP;
    public static final String COMMENT_PREFIX = "COMMENT" + SEP;
    static final String COMMENT_LOCATOR = "COMMENTAT" + SEP;
    public static final String BLOCKS_PREFIX = "BLOCKS" + SEP;
    public static final String MUTES_PREFIX = "MUTES" + SEP;

    private Keys() {
    }

    /** A user's profile item, which also holds their follower, following and post counts. */
    public static Key userProfile(String userId) {
        return new Key("USER" + SEP + id(userId), PROFILE);
    }

    /** The claim on a handle (lower case): at most one exists per handle, so a handle has one owner. */
    public static Key handle(String handle) {
        return new Key("HANDLE" + SEP + id(handle.toLowerCase(Locale.ROOT)), "HANDLE");
    }

    /**
     * A profile's search entry under one term ({@code SearchTerms}): the partition is the term's first
     * two characters, the sort key the term then the user, so a prefix of two characters or more is one
     * {@code begins_with} query of one partition.
     */
    public static Key searchEntry(String term, String userId) {
        return new Key(searchPartition(term), searchTerm(term) + SEP + id(userId));
    }

    /** The partition a search prefix (two characters or more) is read from. */
    public static String searchPartition(String prefix) {
        String term = searchTerm(prefix);
        return "SEARCH" + SEP + term.substring(0, term.offsetByCodePoints(0, SEARCH_PARTITION_CHARS));
    }

    static String searchTerm(String term) {
        if (term == null || !SEARCH_TERM.matcher(term).matches()) {
            throw new IllegalArgumentException("not a search term: " + term);
        }
        return term;
    }

    /** "follower follows followee": the edge that makes a follow exist once. */
    public static Key follows(String followerId, String followeeId) {
        return new Key("USER" + SEP + id(followerId), FOLLOWS_PREFIX + id(followeeId));
    }

    /**
     * "blocker blocks blocked", in the blocker's user partition: exists once, read by key (both
     * directions in one batch) wherever a block hides someone, listed by {@code begins_with}.
     */
    public static Key block(String blockerId, String blockedId) {
        return new Key("USER" + SEP + id(blockerId), BLOCKS_PREFIX + id(blockedId));
    }

    /** "muter mutes muted", beside the muter's blocks: read by key in the batches of the feed and notifications. */
    public static Key mute(String muterId, String mutedId) {
        return new Key("USER" + SEP + id(muterId), MUTES_PREFIX + id(mutedId));
    }

    /** The partition a user's blocks and mutes live in (their user partition). */
    public static String userPartition(String userId) {
        return "USER" + SEP + id(userId);
    }

    /** The partition listing whom a user follows, ordered by when (a time-ordered id). */
    public static String followingPartition(String userId) {
        return "FOLLOWING" + SEP + id(userId);
    }

    public static Key followingEntry(String followerId, String orderId, String followeeId) {
        return new Key(followingPartition(followerId), id(orderId) + SEP + id(followeeId));
    }

    /** The partition listing a user's followers, ordered by when they followed. */
    public static String followersPartition(String userId) {
        return "FOLLOWERS" + SEP + id(userId);
    }

    public static Key followerEntry(String followeeId, String orderId, String followerId) {
        return new Key(followersPartition(followeeId), id(orderId) + SEP + id(followerId));
    }

    /**
     * "requester asked to follow owner" (a private account): the edge that makes a request exist once, in
     * the requester's user partition, read by key when they follow, withdraw or view the owner.
     */
    public static Key followRequest(String requesterId, String ownerId) {
        return new Key("USER" + SEP + id(requesterId), "REQUESTS" + SEP + id(ownerId));
    }

    /** The partition listing the follow requests a private account has pending, ordered by when they came. */
    public static String followRequestsPartition(String ownerId) {
        return "FOLLOW-REQUESTS" + SEP + id(ownerId);
    }

    public static Key followRequestEntry(String ownerId, String orderId, String requesterId) {
        return new Key(followRequestsPartition(ownerId), id(orderId) + SEP + id(requesterId));
    }

    /** A post, with its like and comment counts. */
    public static Key post(String postId) {
        return new Key(postPartition(postId), "POST");
    }

    public static String postPartition(String postId) {
        return "POST" + SEP + id(postId);
    }

    /** The partition listing an author's posts by post id (time-ordered). */
    public static String authorPostsPartition(String authorId) {
        return "POSTS" + SEP + id(authorId);
    }

    public static Key authorPost(String authorId, String postId) {
        return new Key(authorPostsPartition(authorId), id(postId));
    }

    /**
     * Partitions the likes of one post are spread over, by liker. A post liked thousands of times a
     * second writes its like items across this many partition keys instead of one; its count is not
     * written per like at all (the stream processor sums a batch into one update).
     */
    public static final int LIKE_SHARDS = 16;

    /**
     * "user likes post": exists at most once. Its partition is one of {@link #LIKE_SHARDS} for the
     * post, picked by the liker, so "has U liked P" is still one GetItem.
     */
    public static Key like(String postId, String userId) {
        return new Key(likesPartition(postId, Math.floorMod(id(userId).hashCode(), LIKE_SHARDS)), LIKE_PREFIX + id(userId));
    }

    /** One of the {@link #LIKE_SHARDS} partitions a post's likes are spread over. */
    public static String likesPartition(String postId, int shard) {
        return "LIKES" + SEP + id(postId) + SEP + shard;
    }

    /** A comment; comments of a post sort by their time-ordered id. */
    public static Key comment(String postId, String commentId) {
        return new Key(postPartition(postId), COMMENT_PREFIX + id(commentId));
    }

    /**
     * Where a comment is, by its id alone (its post's id in {@code postId}): written with the comment, deleted
     * with it, indexed under its author as the comment is.
     */
    public static Key commentLocator(String commentId) {
        return new Key(COMMENT_LOCATOR + id(commentId), "COMMENTAT");
    }

    /** The locator of the comment at this key (a {@link #comment} key). */
    static Key commentLocatorOf(Key comment) {
        return commentLocator(comment.sk().substring(COMMENT_PREFIX.length()));
    }

    /** An upload the API presigned; used by at most one post. */
    public static Key upload(String uploadId) {
        return new Key("UPLOAD" + SEP + id(uploadId), "UPLOAD");
    }

    /** Where an upload's original lands in the uploads bucket: under its owner's prefix only. */
    public static String uploadObject(String userId, String uploadId) {
        return "uploads/" + id(userId) + "/" + id(uploadId);
    }

    /**
     * Where a rendition of a post's photo lives in the media bucket: the first photo's at
     * {@code media/<post>/<name>.jpg} (where posts of one photo always kept theirs), the others'
     * under their place in the album, {@code media/<post>/<index>/<name>.jpg}.
     */
    public static String rendition(String postId, int photo, String name) {
        if (photo < 0 || photo >= 100) {
            throw new IllegalArgumentException("photo index out of range: " + photo);
        }
        return renditionPrefix(postId) + (photo == 0 ? "" : photo + "/") + id(name) + ".jpg";
    }

    /** What every rendition of a post starts with in the media bucket. */
    public static String renditionPrefix(String postId) {
        return "media/" + id(postId) + "/";
    }

    /** The partition of a user's home feed, ordered by post id. */
    public static String feedPartition(String userId) {
        return "FEED" + SEP + id(userId);
    }

    public static Key feedEntry(String userId, String postId) {
        return new Key(feedPartition(userId), id(postId));
    }

    /**
     * The set of celebrities a user follows, kept in the feed partition under a sort key that sorts
     * after every post id, so the first page of a feed (read newest first) returns it with the entries.
     */
    public static Key feedCelebrities(String userId) {
        return new Key(feedPartition(userId), CELEBRITIES_SORT_KEY);
    }

    /** The sort key of a feed's celebrities item. */
    static final String CELEBRITIES_SORT_KEY = "~CELEBRITIES";

    /** That every follower of a celebrity was told to pull the celebrity's posts (kept for good). */
    public static Key celebrityPromoted(String authorId) {
        return new Key("PROMOTION" + SEP + id(authorId), "DONE");
    }

    /** That a promotion of the author is under way (expires, so a promotion that died can start again). */
    public static Key celebrityPromotionStarted(String authorId) {
        return new Key("PROMOTION" + SEP + id(authorId), "STARTED");
    }

    /** That a demotion of the author is under way (expires, so a demotion that died can start again). */
    public static Key celebrityDemotionStarted(String authorId) {
        return new Key("PROMOTION" + SEP + id(authorId), "DEMOTION-STARTED");
    }

    /** The marker that one page of a post's fan-out is done, so a redelivered page is not pushed twice. */
    public static Key fanoutPage(String postId, String page) {
        return new Key("FANOUT" + SEP + id(postId), id(page));
    }

    /** The partition of a user's notifications, newest first by a time-ordered id. */
    public static String notificationsPartition(String userId) {
        return "NOTIF" + SEP + id(userId);
    }

    public static Key notification(String userId, String notificationId) {
        return new Key(notificationsPartition(userId), id(notificationId));
    }

    /** One notification per (kind, actor, subject) and user, however often it happens. */
    public static Key notificationOnce(String userId, String kind, String actorId, String subjectId) {
        return new Key("NOTIFONCE" + SEP + id(userId), id(kind) + SEP + id(actorId) + SEP + id(subjectId));
    }

    /** Up to which notification a user has read. */
    public static Key notificationsRead(String userId) {
        return new Key("USER" + SEP + id(userId), "NOTIFICATIONS-READ");
    }

    /** How many partitions each digest frequency's index spreads its users over. */
    public static final int DIGEST_SHARDS = 8;

    /** The index shard a user's digest entry lives in: stable across processes (String.hashCode is specified). */
    public static int digestShard(String userId) {
        return Math.floorMod(id(userId).hashCode(), DIGEST_SHARDS);
    }

    /** A user's email digest preference and the address it goes to. */
    public static Key digestPreference(String userId) {
        return new Key("USER" + SEP + id(userId), "DIGEST-PREFERENCE");
    }

    /** One shard of the users opted in to a digest frequency: the job queries it, never scans. */
    public static String digestIndexPartition(String frequency, int shard) {
        if (shard < 0 || shard >= DIGEST_SHARDS) {
            throw new IllegalArgumentException("no digest index shard " + shard);
        }
        return "DIGEST" + SEP + id(frequency) + SEP + shard;
    }

    public static Key digestIndexEntry(String frequency, int shard, String userId) {
        return new Key(digestIndexPartition(frequency, shard), id(userId));
    }

    /** The claim that a user's digest of a period was sent (or is being sent): at most one per period. */
    public static Key digestSent(String userId, String periodKey) {
        return new Key("DIGESTSENT" + SEP + id(userId), id(periodKey));
    }

    /**
     * A post under one of its hashtags. Tags are bucketed by day (UTC, {@code yyyy-MM-dd}), so a
     * popular tag spreads over one partition a day instead of one forever.
     */
    public static Key tagEntry(String tag, String day, String postId) {
        return new Key(tagPartition(tag, day), id(postId));
    }

    /** When a tag was first used, so a search knows how far back its days go. */
    public static Key tagFirstDay(String tag) {
        return new Key("TAG" + SEP + id(tag), "FIRST-DAY");
    }

    public static String tagPartition(String tag, String day) {
        return "TAG" + SEP + id(tag) + SEP + id(day);
    }

    /**
     * Rollups of a day are spread over this many shards: every counting transaction updates one
     * shard's items, so transactions of several stream shards at once rarely touch the same item.
     */
    public static final int ROLLUP_SHARDS = 4;

    /** One shard of a day's report counts. */
    public static Key rollupDay(String day, int shard) {
        return new Key("ROLLUP" + SEP + id(day), "DAY" + SEP + shard(shard));
    }

    /** The day a rollup item's partition key names. */
    public static String dayOfRollup(String partitionKey) {
        return partitionKey.substring(("ROLLUP" + SEP).length());
    }

    /** One shard of an hour's report counts ({@code hour} is 00-23, UTC). */
    public static Key rollupHour(String day, String hour, int shard) {
        return new Key("ROLLUP" + SEP + id(day), "HOUR" + SEP + id(hour) + SEP + shard(shard));
    }

    /** One shard of a day's most used hashtags (a bounded sketch). */
    public static Key rollupTags(String day, int shard) {
        return new Key("ROLLUP" + SEP + id(day), "TAGS" + SEP + shard(shard));
    }

    private static int shard(int shard) {
        if (shard < 0 || shard >= ROLLUP_SHARDS) {
            throw new IllegalArgumentException("no rollup shard " + shard);
        }
        return shard;
    }

    /** A day's active-user sketch. */
    public static Key rollupActive(String day) {
        return new Key("ROLLUP" + SEP + id(day), "ACTIVE");
    }

    /** A user's uses of their daily quotas on one day (UTC). */
    public static Key quota(String userId, String day) {
        return new Key("QUOTA" + SEP + id(userId) + SEP + id(day), "USES");
    }

    /**
     * One of a user's {@code Idempotency-Key}s: the user's partition, the key (visible ASCII, checked by
     * the api) as the sort key, so no key of one user can name another's.
     */
    public static Key idempotency(String userId, String key) {
        return new Key("IDEMPOTENCY" + SEP + id(userId), "KEY" + SEP + key);
    }

    /** The marker that a stream event was counted into the rollups. */
    public static Key countedEvent(String eventId) {
        return new Key("COUNTED" + SEP + id(eventId), "EVENT");
    }

    /** "reader interacted with author recently" (a like or a comment), for the feed's affinity ranking. */
    public static Key affinity(String readerId, String authorId) {
        return new Key("AFFINITY" + SEP + id(readerId), id(authorId));
    }

    /**
     * The marker that a user was exposed to a revision of an experiment's assignment (written once,
     * with the variant served).
     */
    public static Key exposure(String experimentId, String revision, String userId) {
        return new Key(experimentUserPartition(experimentId, userId), "EXPOSURE" + SEP + id(revision));
    }

    /** The marker that a user exposed to a revision converted on a metric (written once). */
    public static Key conversion(String experimentId, String revision, String userId, String metric) {
        return new Key(experimentUserPartition(experimentId, userId), "CONVERSION" + SEP + id(revision) + SEP + id(metric));
    }

    private static String experimentUserPartition(String experimentId, String userId) {
        return "EXPERIMENT" + SEP + id(experimentId) + SEP + id(userId);
    }

    /** The partition of an experiment's rollups: one item per revision and variant. */
    public static String experimentRollups(String experimentId) {
        return "EXPROLLUP" + SEP + id(experimentId);
    }

    /** The partition of an experiment's change log: one item per change, sorted by time. */
    public static String experimentChanges(String experimentId) {
        return "EXPCHANGE" + SEP + id(experimentId);
    }

    /** A change in an experiment's log: at its time (ISO-8601, sorts in order) and the version it wrote. */
    public static Key experimentChange(String experimentId, Instant at, int version) {
        return new Key(experimentChanges(experimentId), at.toString() + SEP + "V" + SEP + String.format("%010d", version));
    }

    /** A variant's rollup in a revision: its exposures and conversions per metric, its weight and place. */
    public static Key experimentVariant(String experimentId, String revision, String variant) {
        return new Key(experimentRollups(experimentId), REVISION_PREFIX + id(revision) + SEP + "VARIANT" + SEP + id(variant));
    }

    /**
     * A variant's request guardrail counts in a revision (requests, 5xx answers, the latency
     * histogram), added to by the api; beside the variant's rollup, which the stream processor
     * writes, so the two writers never contend for one item and one query reads both.
     */
    public static Key experimentVariantRequests(String experimentId, String revision, String variant) {
        Key rollup = experimentVariant(experimentId, revision, variant);
        return new Key(rollup.pk(), rollup.sk() + SEP + "REQUESTS");
    }

    /**
     * A user's open WebSocket connection, in the partition of the user's connections (found by one
     * query), with the topics it subscribes to. A connection id is API Gateway's (base64, with
     * {@code =}, {@code +} or {@code /}), so its key segment is its UTF-8 bytes in unpadded base64url.
     */
    public static Key userConnection(String userId, String connectionId) {
        return new Key(userConnectionsPartition(userId), CONNECTION_PREFIX + connectionSegment(connectionId));
    }

    public static String userConnectionsPartition(String userId) {
        return "WSUSER" + SEP + id(userId);
    }

    /** A connection subscribed to a shared topic (a post's counts), in the topic's partition. */
    public static Key topicSubscriber(String topic, String connectionId) {
        return new Key(topicSubscribersPartition(topic), CONNECTION_PREFIX + connectionSegment(connectionId));
    }

    public static String topicSubscribersPartition(String topic) {
        return "WSTOPIC" + SEP + id(topic);
    }

    public static final String CONNECTION_PREFIX = "WSCONN" + SEP;

    private static String connectionSegment(String connectionId) {
        if (connectionId == null || connectionId.isEmpty() || connectionId.length() > 128) {
            throw new IllegalArgumentException("not a connection id: " + connectionId);
        }
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(connectionId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A report of one thing (a post, a comment, an account): its counts, status and decision. */
    public static Key report(String reportId) {
        return new Key("REPORT" + SEP + id(reportId), "REPORT");
    }

    /** "this user reported this thing": exists once, so a reporter counts once. */
    public static Key reporter(String reportId, String reporterId) {
        return new Key("REPORT" + SEP + id(reportId), "BY" + SEP + id(reporterId));
    }

    /** The queue of open reports: one partition, ascending by when each was first reported. */
    public static String moderationQueuePartition() {
        return "MODQUEUE" + SEP + "open";
    }

    /** A report's place in the queue, by the time-ordered id it got when first reported. */
    public static Key moderationQueueEntry(String queueId, String reportId) {
        return new Key(moderationQueuePartition(), id(queueId) + SEP + id(reportId));
    }

    /** The moderation log: one partition, by the time-ordered id of each decision. */
    public static String moderationLogPartition() {
        return "MODLOG";
    }

    public static Key moderationAction(String actionId) {
        return new Key(moderationLogPartition(), id(actionId));
    }

    /**
     * The {@code gsi1} partition of the items that name a user outside the user's own partitions (their
     * likes and comments, the notifications they caused, others' blocks and mutes of them, interactions
     * with them, their uploads, experiment markers, subscriptions): account erasure finds them all with
     * one paged query of the index, never a scan.
     */
    public static String userReferences(String userId) {
        return "REFS" + SEP + id(userId);
    }

    /** The tombstone of an account being (or just) erased: keyed by a digest of the user id, never the id. */
    public static Key erasure(String userDigest) {
        return new Key("ERASURE" + SEP + id(userDigest), "TOMBSTONE");
    }

    /** A user's data exports ({@code EXPORT#<id>}) and the one slot a running export holds. */
    public static String exportsPartition(String userId) {
        return "EXPORTS" + SEP + id(userId);
    }

    public static final String EXPORT_PREFIX = "EXPORT" + SEP;

    public static Key export(String userId, String exportId) {
        return new Key(exportsPartition(userId), EXPORT_PREFIX + id(exportId));
    }

    /** Which export of the user runs: at most one at a time (a conditional write claims it). */
    public static Key exportSlot(String userId) {
        return new Key(exportsPartition(userId), "RUNNING");
    }

    /** The prefix of a user's export archives in the uploads bucket. */
    public static String exportObjectPrefix(String userId) {
        return dev.glint.shared.resources.GlintResources.EXPORT_ARCHIVES_PREFIX + id(userId) + "/";
    }

    /** Rejects identifiers that could break out of their key segment. */
    static String id(String value) {
        if (value == null || !SAFE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid key identifier: " + value);
        }
        return value;
    }
}
