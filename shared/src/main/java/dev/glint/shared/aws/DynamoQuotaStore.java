package dev.glint.shared.aws;

import dev.glint.shared.social.QuotaStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link QuotaStore} on the table: one small item per user and day ({@code QUOTA#<user>#<day>}), a
 * counter per quota, taken with one conditional {@code ADD}; it expires two days after its day.
 */
public final class DynamoQuotaStore implements QuotaStore {

    private static final Duration KEPT_AFTER_ITS_DAY = Duration.ofDays(2);

    private final DynamoDbClient client;
    private final String table;

    public DynamoQuotaStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public boolean take(String userId, String quota, String day, int limit) {
        long ttl = LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(KEPT_AFTER_ITS_DAY).getEpochSecond();
        try {
            client.updateItem(r -> r.tableName(table).key(DynamoTable.key(Keys.quota(userId, day)))
                    .updateExpression("ADD #q :one SET #e = :entity, #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#q) OR #q < :limit")
                    .expressionAttributeNames(Map.of("#q", quota, "#e", DynamoTable.ENTITY, "#ttl", DynamoTable.TTL))
                    .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit), ":entity", s("quota"), ":ttl", n(ttl))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
