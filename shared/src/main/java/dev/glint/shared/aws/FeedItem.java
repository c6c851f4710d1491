package dev.glint.shared.aws;

import dev.glint.shared.feed.FeedStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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

    static final String CELEBRITIES = "celebrities";

    private FeedItem() {
    }

    static Map<String, AttributeValue> entry(String userId, String postId, String authorId, long ttl) {
        return DynamoTable.item(Keys.feedEntry(userId, postId), Map.of(ENTITY, s("feed"), "postId", s(postId),
                "authorId", s(authorId), TTL, n(ttl)));
    }

    static boolean isCelebrities(Map<String, AttributeValue> item) {
        return item.containsKey(CELEBRITIES);
    }

    static FeedStore.Entry entryFromItem(Map<String, AttributeValue> item) {
        return new FeedStore.Entry(required(item, "postId"), DynamoTable.str(item, "authorId"));
    }

    static Map<String, AttributeValue> pageDone(String postId, String page, long ttl) {
        return DynamoTable.item(Keys.fanoutPage(postId, page), Map.of(ENTITY, s("fanout-page"), TTL, n(ttl)));
    }
}
