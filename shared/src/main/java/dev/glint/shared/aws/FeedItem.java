package dev.glint.shared.aws;

import dev.glint.shared.feed.FeedStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * A home feed as items: entries by post id ({@code FEED#<user>/<postId>}, expiring by TTL), the set
 * of celebrities the reader pulls from ({@code FEED#<user>/~CELEBRITIES}), and the markers of a
 * post's fan-out pages ({@code FANOUT#<post>/<page>}).
 */
final class FeedItem {

    /** Each celebrity a reader pulls from is an attribute of the celebrities item: {@code c:<id>} = when followed (epoch ms). */
    static final String CELEBRITY_PREFIX = "c:";
    /** The celebrities item's first layout: a string set of ids, with no time; still read. */
    static final String LEGACY_CELEBRITIES = "celebrities";

    private FeedItem() {
    }

    static Map<String, AttributeValue> entry(String userId, String postId, String authorId, long ttl) {
        return DynamoTable.item(Keys.feedEntry(userId, postId), Map.of(ENTITY, s("feed"), "postId", s(postId),
                "authorId", s(authorId), TTL, n(ttl)));
    }

    static boolean isCelebrities(Map<String, AttributeValue> item) {
        return Keys.CELEBRITIES_SORT_KEY.equals(DynamoTable.str(item, DynamoTable.SK));
    }

    static String celebrityAttribute(String celebrityId) {
        return CELEBRITY_PREFIX + celebrityId;
    }

    /** The celebrities of a celebrities item, with when each was followed (the first layout's: long ago). */
    static Map<String, Instant> celebritiesOf(Map<String, AttributeValue> item) {
        Map<String, Instant> out = new HashMap<>();
        AttributeValue legacy = item.get(LEGACY_CELEBRITIES);
        if (legacy != null && legacy.hasSs()) {
            legacy.ss().forEach(id -> out.put(id, Instant.EPOCH));
        }
        item.forEach((name, value) -> {
            if (name.startsWith(CELEBRITY_PREFIX) && value.n() != null) {
                out.put(name.substring(CELEBRITY_PREFIX.length()), Instant.ofEpochMilli(Long.parseLong(value.n())));
            }
        });
        return out;
    }

    static FeedStore.Entry entryFromItem(Map<String, AttributeValue> item) {
        return new FeedStore.Entry(required(item, "postId"), DynamoTable.str(item, "authorId"));
    }

    static Map<String, AttributeValue> pageDone(String postId, String page, long ttl) {
        return DynamoTable.item(Keys.fanoutPage(postId, page), Map.of(ENTITY, s("fanout-page"), TTL, n(ttl)));
    }

    /** That every follower of the author pulls their posts: kept for good (no TTL). */
    static Map<String, AttributeValue> promoted(String authorId) {
        return DynamoTable.item(Keys.celebrityPromoted(authorId), Map.of(ENTITY, s("celebrity-promoted")));
    }

    /** That a demotion of the author is under way; it may be claimed again once this expires. */
    static Map<String, AttributeValue> demotionStarted(String authorId, long ttl) {
        return DynamoTable.item(Keys.celebrityDemotionStarted(authorId), Map.of(ENTITY, s("celebrity-demotion"), TTL, n(ttl)));
    }

    /** That a promotion of the author is under way; it may be claimed again once this expires. */
    static Map<String, AttributeValue> promotionStarted(String authorId, long ttl) {
        return DynamoTable.item(Keys.celebrityPromotionStarted(authorId), Map.of(ENTITY, s("celebrity-promotion"), TTL, n(ttl)));
    }
}
