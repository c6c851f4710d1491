package dev.glint.shared.aws;

import dev.glint.shared.realtime.ConnectionStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * The items of a WebSocket connection: one in its user's partition (with the topics it subscribes
 * to), one per shared topic in that topic's partition. Neither is an entity the stream processor
 * reads ({@link StreamFilter} lets neither through).
 */
final class ConnectionItem {

    static final String USER_ENTITY = "wsConnection";
    static final String TOPIC_ENTITY = "wsSubscription";
    static final String CONNECTION_ID = "connectionId";
    static final String USER_ID = "userId";
    static final String TOPICS = "topics";

    private ConnectionItem() {
    }

    static Map<String, AttributeValue> ofUser(String connectionId, String userId, Instant expiresAt) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put(DynamoTable.ENTITY, s(USER_ENTITY));
        attributes.put(CONNECTION_ID, s(connectionId));
        attributes.put(USER_ID, s(userId));
        attributes.put(DynamoTable.TTL, n(expiresAt.getEpochSecond()));
        return DynamoTable.item(Keys.userConnection(userId, connectionId), attributes);
    }

    static Map<String, AttributeValue> ofTopic(String topic, String connectionId, String userId, Instant expiresAt) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put(DynamoTable.ENTITY, s(TOPIC_ENTITY));
        attributes.put(CONNECTION_ID, s(connectionId));
        attributes.put(USER_ID, s(userId));
        attributes.put(DynamoTable.TTL, n(expiresAt.getEpochSecond()));
        return DynamoTable.referencing(DynamoTable.item(Keys.topicSubscriber(topic, connectionId), attributes), userId);
    }

    static ConnectionStore.Connection connection(Map<String, AttributeValue> item) {
        AttributeValue topics = item.get(TOPICS);
        Set<String> names = topics == null || !topics.hasSs() ? Set.of() : new LinkedHashSet<>(topics.ss());
        return new ConnectionStore.Connection(str(item, CONNECTION_ID), str(item, USER_ID), Set.copyOf(names));
    }

    static ConnectionStore.Subscriber subscriber(Map<String, AttributeValue> item) {
        return new ConnectionStore.Subscriber(str(item, CONNECTION_ID), str(item, USER_ID));
    }

    /** DynamoDB deletes expired items within days, not at once: a read skips them itself. */
    static boolean live(Map<String, AttributeValue> item, Instant now) {
        AttributeValue ttl = item.get(DynamoTable.TTL);
        return ttl == null || ttl.n() == null || Long.parseLong(ttl.n()) > now.getEpochSecond();
    }
}
