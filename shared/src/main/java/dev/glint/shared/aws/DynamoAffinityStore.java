package dev.glint.shared.aws;

import dev.glint.shared.feed.AffinityStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link AffinityStore} on the table: one small item per (reader, author) that expires
 * {@link #LIFETIME} after the last interaction, so a reader's affinity is bounded by what they did
 * recently and the feed reads it by key in its batch read. Each is a conditional put that only moves
 * the expiry later: two stream shards (a like and a comment of the same reader on the same author)
 * or a replayed record can arrive in any order, and an older interaction never shortens the lift.
 * A replay writes nothing.
 */
public final class DynamoAffinityStore implements AffinityStore {

    /** How long an interaction lifts an author in the reader's feed. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoAffinityStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public void record(Collection<Interaction> interactions) {
        Map<String, Interaction> latest = new LinkedHashMap<>();
        for (Interaction interaction : interactions) {
            latest.merge(interaction.readerId() + "#" + interaction.authorId(), interaction,
                    (a, b) -> a.at().isAfter(b.at()) ? a : b);
        }
        for (Interaction interaction : latest.values()) {
            Map<String, AttributeValue> item = AffinityItem.toItem(interaction, LIFETIME);
            try {
                client.putItem(r -> r.tableName(table.name()).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR #ttl < :ttl")
                        .expressionAttributeNames(Map.of("#ttl", DynamoTable.TTL))
                        .expressionAttributeValues(Map.of(":ttl", item.get(DynamoTable.TTL))));
            } catch (ConditionalCheckFailedException e) {
                // a later interaction is recorded already
            }
        }
    }
}
