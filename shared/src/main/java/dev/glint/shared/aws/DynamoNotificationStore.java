package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * {@link NotificationStore} on the table. A notification and its once-marker are written in one
 * transaction, so a replayed stream record or a repeated like never notifies twice. Notifications
 * expire after 90 days.
 */
public final class DynamoNotificationStore implements NotificationStore {

    static final Duration LIFETIME = Duration.ofDays(90);

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoNotificationStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public boolean add(String userId, Notification notification) {
        long ttl = notification.createdAt().plus(LIFETIME).getEpochSecond();
        try {
            table.transact(List.of(
                    table.put(NotificationItem.once(userId, notification, ttl), "attribute_not_exists(pk)"),
                    table.put(NotificationItem.toItem(userId, notification, ttl), "attribute_not_exists(pk)")));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            return false;
        }
    }

    @Override
    public Page<Notification> list(String userId, int limit, Optional<PageToken> after) {
        return table.page(Keys.notificationsPartition(userId), null, true, limit, after, false, NotificationItem::fromItem);
    }

    @Override
    public Optional<String> readUpTo(String userId) {
        return table.get(Keys.notificationsRead(userId), true).map(item -> str(item, NotificationItem.UP_TO));
    }

    @Override
    public void markRead(String userId, String upToId) {
        try {
            client.putItem(r -> r.tableName(table.name())
                    .item(NotificationItem.readUpTo(userId, upToId))
                    .conditionExpression("attribute_not_exists(#u) OR #u < :u")
                    .expressionAttributeNames(Map.of("#u", NotificationItem.UP_TO))
                    .expressionAttributeValues(Map.of(":u", s(upToId))));
        } catch (ConditionalCheckFailedException e) {
            // already read further: reading never moves backwards
        }
    }

    /** A page of {@link #list} ended at the notification whose id is the sort key of the token's last key. */
    @Override
    public void markReadThrough(String userId, PageToken next) {
        Map<String, AttributeValue> last = DynamoTable.startKey(next, Keys.notificationsPartition(userId), null);
        markRead(userId, last.get(DynamoTable.SK).s());
    }
}
