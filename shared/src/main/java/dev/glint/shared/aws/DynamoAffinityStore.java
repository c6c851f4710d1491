package dev.glint.shared.aws;

import dev.glint.shared.feed.AffinityStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AffinityStore} on the table: one small item per (reader, author) that expires
 * {@link #LIFETIME} after the last interaction, so a reader's affinity is bounded by what they did
 * recently and the feed reads it by key in its batch read. Written 25 at a time; writing one again
 * (a replayed record) leaves an item the feed reads the same way.
 */
public final class DynamoAffinityStore implements AffinityStore {

    /** How long an interaction lifts an author in the reader's feed. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private final DynamoTable table;

    public DynamoAffinityStore(DynamoDbClient client, String tableName) {
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public void record(Collection<Interaction> interactions) {
        Map<String, Interaction> latest = new LinkedHashMap<>();
        for (Interaction interaction : interactions) {
            latest.merge(interaction.readerId() + "#" + interaction.authorId(), interaction,
                    (a, b) -> a.at().isAfter(b.at()) ? a : b);
        }
        List<WriteRequest> writes = new ArrayList<>();
        for (Interaction interaction : latest.values()) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(AffinityItem.toItem(interaction, LIFETIME)).build()).build());
        }
        table.batchWrite(writes);
    }
}
