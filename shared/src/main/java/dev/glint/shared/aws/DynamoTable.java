package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The single table, as the adapters use it: key maps, reads, pages, and transactions that are
 * retried on conflicts with other transactions and report which condition failed.
 *
 * <p>The social writes use the low-level client rather than the Enhanced Client: every one of them
 * is a transaction with {@code ADD} counter updates, which the Enhanced Client's update requests
 * cannot express.
 */
final class DynamoTable {

    static final String PK = "pk";
    static final String SK = "sk";
    /** Which kind of Glint data an item holds (an item mapper's {@code ENTITY}); the stream decoder reads it. */
    static final String ENTITY = "entity";
    /** The overloaded index's keys: see {@link #referencing}. */
    static final String GSI1PK = "gsi1pk";
    static final String GSI1SK = "gsi1sk";
    /** When DynamoDB may delete an item (epoch seconds). */
    static final String TTL = "ttl";
    private static final int MAX_CONFLICT_RETRIES = 25;

    private final DynamoDbClient client;
    private final String name;

    DynamoTable(DynamoDbClient client, String name) {
        this.client = client;
        this.name = name;
    }

    String name() {
        return name;
    }

    static Map<String, AttributeValue> key(Key key) {
        return Map.of(PK, s(key.pk()), SK, s(key.sk()));
    }

    /** A new item: its key plus attributes. */
    static Map<String, AttributeValue> item(Key key, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.putAll(key(key));
        return item;
    }

    /**
     * The item, indexed under the user it names ({@link Keys#userReferences}), so the user's erasure finds
     * it by key: every item that names a user outside the user's own partitions is written through this.
     */
    static Map<String, AttributeValue> referencing(Map<String, AttributeValue> item, String userId) {
        Map<String, AttributeValue> tagged = new HashMap<>(item);
        tagged.put(GSI1PK, s(Keys.userReferences(userId)));
        tagged.put(GSI1SK, s(str(item, PK) + SEP_REF + str(item, SK)));
        return tagged;
    }

    private static final String SEP_REF = "|";

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? null : value.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    /**
     * A string attribute every item of its kind has.
     *
     * @throws IllegalArgumentException naming it when it is missing
     */
    static String required(Map<String, AttributeValue> item, String name) {
        String value = str(item, name);
        if (value == null) {
            throw new IllegalArgumentException("a " + str(item, ENTITY) + " item without " + name);
        }
        return value;
    }

    /** A time attribute (ISO-8601), or null when the item has none. */
    static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = str(item, name);
        return value == null ? null : Instant.parse(value);
    }

    Optional<Map<String, AttributeValue>> get(Key key, boolean consistent) {
        var response = client.getItem(r -> r.tableName(name).key(key(key)).consistentRead(consistent));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /** Items for the keys, in the keys' order; missing ones are skipped. One request per 100 keys. */
    List<Map<String, AttributeValue>> getAll(List<Key> keys, boolean consistent) {
        Map<Key, Map<String, AttributeValue>> found = new HashMap<>();
        for (int start = 0; start < keys.size(); start += 100) {
            List<Map<String, AttributeValue>> chunk = keys.subList(start, Math.min(keys.size(), start + 100)).stream()
                    .distinct().map(DynamoTable::key).toList();
            Map<String, KeysAndAttributes> request = Map.of(name,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(consistent).build());
            int attempt = 0;
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                var response = client.batchGetItem(r -> r.requestItems(pending));
                response.responses().getOrDefault(name, List.of()).forEach(item ->
                        found.put(new Key(str(item, PK), str(item, SK)), item));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    backoff(++attempt);
                }
            }
        }
        List<Map<String, AttributeValue>> ordered = new ArrayList<>();
        for (Key key : keys) {
            Map<String, AttributeValue> item = found.get(key);
            if (item != null) {
                ordered.add(item);
            }
        }
        return ordered;
    }

    /**
     * One page of a partition.
     *
     * @param newestFirst reverse sort-key order
     * @param skPrefix    only sort keys beginning with it, or null
     */
    <T> Page<T> page(String pk, String skPrefix, boolean newestFirst, int limit, Optional<PageToken> after,
                     boolean consistent, Function<Map<String, AttributeValue>, T> mapper) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(pk));
        String condition = "pk = :pk";
        if (skPrefix != null) {
            condition += " AND begins_with(sk, :prefix)";
            values.put(":prefix", s(skPrefix));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(name)
                .keyConditionExpression(condition)
                .expressionAttributeValues(values)
                .scanIndexForward(!newestFirst)
                .consistentRead(consistent)
                .limit(limit);
        after.ifPresent(token -> request.exclusiveStartKey(startKey(token, pk, skPrefix)));
        QueryResponse response = client.query(request.build());
        Optional<PageToken> next = Optional.empty();
        if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
            next = Optional.of(token(response.lastEvaluatedKey()));
        }
        return new Page<>(response.items().stream().map(mapper).toList(), next);
    }

    /**
     * One page (at most 500 items read) of one segment of a parallel scan for the items of one entity, with the
     * attributes {@code projection} names (its {@code #names} in {@code names}): for one-off backfills, never a
     * request. The token is where the segment goes on.
     */
    Page<Map<String, AttributeValue>> scanEntity(String entity, String projection, Map<String, String> names,
                                                 int segment, int segments, Optional<PageToken> after) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#e", ENTITY);
        var scan = software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder().tableName(name)
                .segment(segment).totalSegments(segments).limit(500)
                .filterExpression("#e = :entity")
                .projectionExpression(projection)
                .expressionAttributeNames(allNames)
                .expressionAttributeValues(Map.of(":entity", s(entity)));
        after.ifPresent(token -> {
            Map<String, AttributeValue> start = new LinkedHashMap<>();
            token.parts().forEach((k, v) -> start.put(k, s(v)));
            scan.exclusiveStartKey(start);
        });
        var response = client.scan(scan.build());
        Optional<PageToken> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(token(response.lastEvaluatedKey()))
                : Optional.empty();
        return new Page<>(response.items(), next);
    }

    /** A page token of the table: the last key a query read, as a JSON object of its string attributes. */
    static PageToken token(Map<String, AttributeValue> lastKey) {
        Map<String, String> last = new LinkedHashMap<>();
        lastKey.forEach((k, v) -> last.put(k, v.s()));
        return PageToken.ofParts(last);
    }

    /**
     * Where a query of the partition resumes: the key in the token, which must be one of the partition's.
     *
     * @throws IllegalArgumentException if the token is of another list
     */
    static Map<String, AttributeValue> startKey(PageToken token, String pk, String skPrefix) {
        Map<String, String> key = token.parts();
        if (!pk.equals(key.get(PK)) || key.get(SK) == null || (skPrefix != null && !key.get(SK).startsWith(skPrefix))) {
            throw new IllegalArgumentException("page token belongs to another list");
        }
        Map<String, AttributeValue> start = new LinkedHashMap<>();
        key.forEach((k, v) -> start.put(k, s(v)));
        return start;
    }

    /** Thrown when a transaction's condition on one of its items failed. */
    static final class ConditionFailed extends RuntimeException {
        private final int index;

        ConditionFailed(int index) {
            super("condition failed on transaction item " + index, null, false, false);
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    /**
     * Runs a transaction, retrying while it conflicts with concurrent ones.
     *
     * @throws ConditionFailed naming the first item whose condition failed
     */
    void transact(List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                for (int i = 0; i < reasons.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        throw new ConditionFailed(i);
                    }
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))
                        || (e.getMessage() != null && e.getMessage().contains("TransactionConflict"));
                if (!conflict || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    private static void backoff(int attempt) {
        long cap = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }

    /** Deletes the item if it is there. @return whether it was */
    boolean deleteIfPresent(Key key) {
        try {
            client.deleteItem(r -> r.tableName(name).key(key(key)).conditionExpression("attribute_exists(pk)"));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Writes the requests 25 at a time, retrying what DynamoDB leaves unprocessed. */
    void batchWrite(List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes) {
        for (int start = 0; start < writes.size(); start += 25) {
            Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> pending =
                    Map.of(name, writes.subList(start, Math.min(writes.size(), start + 25)));
            int attempt = 0;
            while (!pending.isEmpty()) {
                var request = pending;
                var response = client.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    if (++attempt > 10) {
                        throw new IllegalStateException("writes to " + name + " stayed unprocessed after 10 attempts");
                    }
                    backoff(attempt);
                }
            }
        }
    }

    TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(p -> p.tableName(name).item(item).conditionExpression(condition)).build();
    }

    TransactWriteItem delete(Key key, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().delete(d -> {
            d.tableName(name).key(key(key)).conditionExpression(condition);
            if (!values.isEmpty()) {
                d.expressionAttributeValues(values);
            }
        }).build();
    }

    TransactWriteItem update(Key key, String expression, Map<String, String> names, Map<String, AttributeValue> values,
                             String condition) {
        return TransactWriteItem.builder().update(u -> {
            u.tableName(name).key(key(key)).updateExpression(expression).conditionExpression(condition);
            if (!names.isEmpty()) {
                u.expressionAttributeNames(names);
            }
            if (!values.isEmpty()) {
                u.expressionAttributeValues(values);
            }
        }).build();
    }

    /** A transaction step that writes nothing and fails unless the item exists. */
    TransactWriteItem exists(Key key) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(name).key(key(key))
                .conditionExpression("attribute_exists(pk)")).build();
    }

    /** A transaction step that writes nothing and fails if the item exists. */
    TransactWriteItem absent(Key key) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(name).key(key(key))
                .conditionExpression("attribute_not_exists(pk)")).build();
    }
}
