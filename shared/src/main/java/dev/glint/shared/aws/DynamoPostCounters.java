package dev.glint.shared.aws;

import dev.glint.shared.keys.Keys;
import dev.glint.shared.ports.PostCounters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * {@link PostCounters} on the post items: {@code likes} and {@code comments} with {@code countSeq},
 * the last stream sequence number applied (zero-padded, so it compares as text).
 */
public final class DynamoPostCounters implements PostCounters {

    private static final int MAX_ATTEMPTS = 5;
    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoPostCounters(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    static String padded(String sequenceNumber) {
        return "0".repeat(Math.max(0, 40 - sequenceNumber.length())) + sequenceNumber;
    }

    @Override
    public void apply(String postId, List<Change> changes) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Map<String, AttributeValue>> post = table.get(Keys.post(postId), true);
            if (post.isEmpty()) {
                return;
            }
            String applied = str(post.get(), "countSeq");
            long likes = 0;
            long comments = 0;
            String last = applied;
            for (Change change : changes) {
                String seq = padded(change.sequenceNumber());
                if (applied == null || seq.compareTo(applied) > 0) {
                    likes += change.likes();
                    comments += change.comments();
                    if (last == null || seq.compareTo(last) > 0) {
                        last = seq;
                    }
                }
            }
            if (last == null || last.equals(applied)) {
                return;
            }
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":seq", s(last), ":l", n(likes), ":c", n(comments)));
            String condition = "attribute_exists(pk) AND attribute_not_exists(countSeq)";
            if (applied != null) {
                condition = "attribute_exists(pk) AND countSeq = :old";
                values.put(":old", s(applied));
            }
            String finalCondition = condition;
            try {
                client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.post(postId)))
                        .updateExpression("SET countSeq = :seq ADD likes :l, comments :c")
                        .conditionExpression(finalCondition).expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException e) {
                // deleted or counted meanwhile: read again
            }
        }
        throw new IllegalStateException("counts of post " + postId + " kept changing; the batch will be retried");
    }
}
