package dev.glint.shared.aws;

import dev.glint.shared.digest.DigestFrequency;
import dev.glint.shared.digest.DigestPreference;
import dev.glint.shared.digest.DigestPreferenceStore;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link DigestPreferenceStore} on the table. A preference and its index entries change in one
 * transaction, guarded by the preference's version, so two concurrent changes cannot leave an entry
 * under a frequency the user left.
 */
public final class DynamoDigestPreferenceStore implements DigestPreferenceStore {

    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoDigestPreferenceStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public int shards() {
        return Keys.DIGEST_SHARDS;
    }

    @Override
    public Optional<DigestPreference> find(String userId) {
        return table.get(Keys.digestPreference(userId), true).map(DigestPreferenceItem::fromPreference);
    }

    @Override
    public void save(DigestPreference preference) {
        for (int attempt = 1; ; attempt++) {
            Optional<Map<String, AttributeValue>> current = table.get(Keys.digestPreference(preference.userId()), true);
            List<TransactWriteItem> items = new ArrayList<>();
            long version = current.map(DigestPreferenceItem::version).orElse(0L);
            items.add(current.isEmpty()
                    ? table.put(DigestPreferenceItem.preference(preference, 1), "attribute_not_exists(pk)")
                    : TransactWriteItem.builder().put(p -> p.tableName(table.name())
                            .item(DigestPreferenceItem.preference(preference, version + 1))
                            .conditionExpression("#v = :v")
                            .expressionAttributeNames(Map.of("#v", DigestPreferenceItem.VERSION))
                            .expressionAttributeValues(Map.of(":v", DynamoTable.n(version)))).build());
            Optional<Key> oldEntry = current.map(DigestPreferenceItem::fromPreference).filter(p -> p.frequency() != DigestFrequency.OFF)
                    .map(p -> Keys.digestIndexEntry(p.frequency().wire(), Keys.digestShard(p.userId()), p.userId()));
            Optional<Key> newEntry = Optional.of(preference).filter(p -> p.frequency() != DigestFrequency.OFF)
                    .map(p -> Keys.digestIndexEntry(p.frequency().wire(), Keys.digestShard(p.userId()), p.userId()));
            if (oldEntry.isPresent() && !oldEntry.equals(newEntry)) {
                items.add(table.delete(oldEntry.get(), null, Map.of()));
            }
            newEntry.ifPresent(key -> items.add(table.put(DigestPreferenceItem.indexEntry(preference), null)));
            try {
                table.transact(items);
                return;
            } catch (DynamoTable.ConditionFailed e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("the digest preference of " + preference.userId()
                            + " kept changing under this write", e);
                }
                // another write of the same preference came first: read it again and redo the index from it,
                // after a jittered pause so writers racing on one preference do not keep colliding
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while saving a digest preference", interrupted);
                }
            }
        }
    }

    @Override
    public Page<DigestPreference> subscribers(DigestFrequency frequency, int shard, int limit, Optional<PageToken> after) {
        return table.page(Keys.digestIndexPartition(frequency.wire(), shard), null, false, limit, after, false,
                item -> DigestPreferenceItem.fromIndexEntry(frequency, item));
    }

    @Override
    public boolean claim(String userId, String periodKey, Instant expires) {
        try {
            client.putItem(r -> r.tableName(table.name())
                    .item(DigestPreferenceItem.sent(userId, periodKey, expires.getEpochSecond(), false))
                    .conditionExpression("attribute_not_exists(pk) OR #r = :t")
                    .expressionAttributeNames(Map.of("#r", DigestPreferenceItem.RELEASED))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A released claim stays, marked so the next claim may take it: the worker writes items, it never deletes them. */
    @Override
    public void release(String userId, String periodKey) {
        client.putItem(r -> r.tableName(table.name())
                .item(DigestPreferenceItem.sent(userId, periodKey, Instant.now().plus(java.time.Duration.ofDays(35)).getEpochSecond(), true)));
    }
}
