package dev.glint.shared.aws;

import dev.glint.shared.realtime.ConnectionStore;
import dev.glint.shared.realtime.Topic;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link ConnectionStore} on the table. A user's connections are one partition ({@code WSUSER#<user>}),
 * a shared topic's subscribers another ({@code WSTOPIC#post:<id>}); the user's item of a connection
 * lists its topics, so closing it deletes exactly its items. A subscription is one transaction: the
 * connection must still be open, or no topic item is written.
 */
public final class DynamoConnectionStore implements ConnectionStore {

    private final DynamoDbClient client;
    private final DynamoTable table;
    private final Clock clock;

    public DynamoConnectionStore(DynamoDbClient client, String tableName, Clock clock) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
        this.clock = clock;
    }

    @Override
    public void open(String connectionId, String userId, Instant expiresAt) {
        client.putItem(r -> r.tableName(table.name()).item(ConnectionItem.ofUser(connectionId, userId, expiresAt)));
    }

    @Override
    public Optional<Connection> find(String connectionId, String userId) {
        return table.get(Keys.userConnection(userId, connectionId), true)
                .filter(item -> ConnectionItem.live(item, clock.instant()))
                .map(ConnectionItem::connection);
    }

    @Override
    public void subscribe(String connectionId, String userId, Set<Topic> topics, Instant expiresAt) {
        List<String> names = topics.stream().map(Topic::name).toList();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.update(Keys.userConnection(userId, connectionId), "ADD #topics :topics SET #ttl = :ttl",
                Map.of("#topics", ConnectionItem.TOPICS, "#ttl", DynamoTable.TTL),
                Map.of(":topics", AttributeValue.fromSs(names), ":ttl", n(expiresAt.getEpochSecond())),
                "attribute_exists(pk)"));
        for (Topic topic : topics) {
            if (topic instanceof Topic.PostCounts) {
                // A connection id is never another user's: a subscriber item of another user is not overwritten.
                var item = ConnectionItem.ofTopic(topic.name(), connectionId, userId, expiresAt);
                writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR #u = :u")
                        .expressionAttributeNames(Map.of("#u", ConnectionItem.USER_ID))
                        .expressionAttributeValues(Map.of(":u", s(userId)))).build());
            }
        }
        table.transact(writes);
    }

    @Override
    public void close(String connectionId, String userId) {
        Optional<Map<String, AttributeValue>> item = table.get(Keys.userConnection(userId, connectionId), true);
        List<WriteRequest> deletes = new ArrayList<>();
        item.map(ConnectionItem::connection).ifPresent(connection -> connection.topics().stream()
                .map(Topic::parse).flatMap(Optional::stream)
                .filter(topic -> topic instanceof Topic.PostCounts)
                .forEach(topic -> deletes.add(delete(Keys.topicSubscriber(topic.name(), connectionId)))));
        deletes.add(delete(Keys.userConnection(userId, connectionId)));
        table.batchWrite(deletes);
    }

    @Override
    public List<Connection> connectionsOf(String userId) {
        return all(Keys.userConnectionsPartition(userId), ConnectionItem::connection);
    }

    @Override
    public List<Subscriber> subscribers(Topic.PostCounts topic) {
        return all(Keys.topicSubscribersPartition(topic.name()), ConnectionItem::subscriber);
    }

    /** Every live item of a partition, page after page (a partition holds one user's or one topic's connections). */
    private <T> List<T> all(String partition, Function<Map<String, AttributeValue>, T> mapper) {
        Instant now = clock.instant();
        List<T> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(partition), ":prefix", s(Keys.CONNECTION_PREFIX)));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            QueryResponse response = client.query(request.build());
            response.items().stream().filter(item -> ConnectionItem.live(item, now)).map(mapper).forEach(out::add);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static WriteRequest delete(Key key) {
        return WriteRequest.builder().deleteRequest(d -> d.key(DynamoTable.key(key))).build();
    }
}
