package dev.glint.shared.aws;

import dev.glint.shared.social.FollowEntry;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * A follow as items: the edge ({@code USER#<follower>/FOLLOWS#<followee>}, which makes a follow exist
 * once) and an entry in each user's time-ordered list ({@code FOLLOWING#} and {@code FOLLOWERS#}),
 * all three with the same order id.
 */
final class FollowItem {

    static final String ENTITY_NAME = "follow";
    static final String APPROVED = "approved";
    static final String ORDER_ID = "orderId";

    private FollowItem() {
    }

    /** A follow as the edge says it. */
    record Edge(String followerId, String followeeId, String orderId, Instant createdAt) {
    }

    static Map<String, AttributeValue> edge(Edge edge) {
        return DynamoTable.item(Keys.follows(edge.followerId(), edge.followeeId()), Map.of(
                ENTITY, s(ENTITY_NAME), "followerId", s(edge.followerId()), "followeeId", s(edge.followeeId()),
                ORDER_ID, s(edge.orderId()), "createdAt", s(edge.createdAt().toString())));
    }

    /** A follow that is an approved request: the edge, marked so the stream processor tells the follower. */
    static Map<String, AttributeValue> approvedEdge(Edge edge) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(edge(edge));
        item.put(APPROVED, AttributeValue.fromBool(true));
        return item;
    }

    static boolean approved(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(APPROVED);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    static Edge edgeFromItem(Map<String, AttributeValue> item) {
        return new Edge(required(item, "followerId"), required(item, "followeeId"), DynamoTable.str(item, ORDER_ID),
                instant(item, "createdAt"));
    }

    /** The followee in the follower's list of whom they follow. */
    static Map<String, AttributeValue> followingEntry(Edge edge) {
        return DynamoTable.item(Keys.followingEntry(edge.followerId(), edge.orderId(), edge.followeeId()),
                entry("following", edge.followeeId(), edge));
    }

    /** The follower in the followee's list of followers. */
    static Map<String, AttributeValue> followerEntry(Edge edge) {
        return DynamoTable.item(Keys.followerEntry(edge.followeeId(), edge.orderId(), edge.followerId()),
                entry("follower", edge.followerId(), edge));
    }

    private static Map<String, AttributeValue> entry(String entity, String userId, Edge edge) {
        return Map.of(ENTITY, s(entity), "userId", s(userId), ORDER_ID, s(edge.orderId()),
                "createdAt", s(edge.createdAt().toString()));
    }

    static FollowEntry entryFromItem(Map<String, AttributeValue> item) {
        return new FollowEntry(required(item, "userId"), instant(item, "createdAt"));
    }
}
