package dev.glint.shared.aws;

import dev.glint.shared.idempotency.IdempotencyStore;
import dev.glint.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link IdempotencyStore} on the table: one item per user and key ({@code IDEMPOTENCY#<user>} /
 * {@code KEY#<key>}) holding the request's fingerprint, a lock while it runs, then its answer; it
 * expires by {@code ttl} a day after its first use. A claim is one conditional put that returns the
 * item it found when its condition fails, so a retry costs one write request, never a read first.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {

    private static final String FINGERPRINT = "fingerprint";
    private static final String LOCK = "lock";
    private static final String LOCKED_UNTIL = "lockedUntil";
    private static final String STATE = "state";
    private static final String PENDING = "pending";
    private static final String DONE = "done";

    private final DynamoDbClient client;
    private final String table;

    public DynamoIdempotencyStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public Claim claim(String userId, String key, String fingerprint, Instant now, Instant lockedUntil, Instant expires) {
        String lock = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = DynamoTable.item(Keys.idempotency(userId, key), Map.of(
                DynamoTable.ENTITY, s("idempotency"),
                FINGERPRINT, s(fingerprint),
                STATE, s(PENDING),
                LOCK, s(lock),
                LOCKED_UNTIL, n(lockedUntil.toEpochMilli()),
                DynamoTable.TTL, n(expires.getEpochSecond())));
        try {
            client.putItem(r -> r.tableName(table).item(item)
                    // Free, expired (TTL deletes within days, not at once), or a dead request's lock on the same request.
                    .conditionExpression("attribute_not_exists(pk) OR #ttl < :nowSeconds"
                            + " OR (#state = :pending AND #lockedUntil < :nowMillis AND #fp = :fp)")
                    .expressionAttributeNames(Map.of("#ttl", DynamoTable.TTL, "#state", STATE, "#lockedUntil", LOCKED_UNTIL,
                            "#fp", FINGERPRINT))
                    .expressionAttributeValues(Map.of(":nowSeconds", n(now.getEpochSecond()), ":pending", s(PENDING),
                            ":nowMillis", n(now.toEpochMilli()), ":fp", s(fingerprint)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claim.Claimed(lock);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
            if (old.isEmpty()) {
                // The item went between the put's check and this answer (it expired): claim again.
                return claim(userId, key, fingerprint, now, lockedUntil, expires);
            }
            if (!fingerprint.equals(old.get(FINGERPRINT).s())) {
                return new Claim.Mismatch();
            }
            if (DONE.equals(old.get(STATE).s())) {
                Map<String, String> headers;
                try {
                    headers = Json.readStringMap(old.get("headers").s().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
                    throw new IllegalStateException("the stored answer of an idempotency key cannot be read", bad);
                }
                return new Claim.Replay(new StoredResponse(Integer.parseInt(old.get("status").n()), headers, old.get("body").s()));
            }
            return new Claim.InProgress(Instant.ofEpochMilli(Long.parseLong(old.get(LOCKED_UNTIL).n())));
        }
    }

    @Override
    public void complete(String userId, String key, String lock, StoredResponse response) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":done", s(DONE));
        values.put(":status", n(response.status()));
        values.put(":headers", s(Json.write(response.headers())));
        values.put(":body", s(response.body() == null ? "" : response.body()));
        values.put(":lock", s(lock));
        try {
            client.updateItem(r -> r.tableName(table).key(DynamoTable.key(Keys.idempotency(userId, key)))
                    .updateExpression("SET #state = :done, #status = :status, headers = :headers, body = :body REMOVE #lock, #lockedUntil")
                    .conditionExpression("#lock = :lock")
                    .expressionAttributeNames(Map.of("#state", STATE, "#status", "status", "#lock", LOCK, "#lockedUntil", LOCKED_UNTIL))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Our lock ran out and another request with the same key took over: its answer is the one kept.
        }
    }

    @Override
    public void release(String userId, String key, String lock) {
        try {
            client.deleteItem(r -> r.tableName(table).key(DynamoTable.key(Keys.idempotency(userId, key)))
                    .conditionExpression("#lock = :lock")
                    .expressionAttributeNames(Map.of("#lock", LOCK))
                    .expressionAttributeValues(Map.of(":lock", s(lock))));
        } catch (ConditionalCheckFailedException e) {
            // Already taken over: nothing of ours to give back.
        }
    }
}
