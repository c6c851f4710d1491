package dev.glint.shared.aws;

import dev.glint.shared.keys.Keys;
import dev.glint.shared.ports.NotificationStore;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.n;
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
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "entity", s("notification"), "notificationId", s(notification.id()), "kind", s(notification.kind()),
                "actorId", s(notification.actorId()), "createdAt", s(notification.createdAt().toString()), "ttl", n(ttl)));
        if (notification.subjectId() != null) {
            item.put("subjectId", s(notification.subjectId()));
        }
        try {
            table.transact(List.of(
                    table.put(DynamoTable.item(Keys.notificationOnce(userId, notification.kind(), notification.actorId(),
                            notification.subjectId() == null ? "-" : notification.subjectId()),
                            Map.of("entity", s("notification-once"), "ttl", n(ttl))), "attribute_not_exists(pk)"),
                    table.put(DynamoTable.item(Keys.notification(userId, notification.id()), item), "attribute_not_exists(pk)")));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            return false;
        }
    }

    @Override
    public Page<Notification> list(String userId, int limit, Optional<PageKey> after) {
        return table.page(Keys.notificationsPartition(userId), null, true, limit, after, false, item -> new Notification(
                str(item, "notificationId"), str(item, "kind"), str(item, "actorId"), str(item, "subjectId"),
                Instant.parse(str(item, "createdAt"))));
    }

    @Override
    public Optional<String> readUpTo(String userId) {
        return table.get(Keys.notificationsRead(userId), true).map(item -> str(item, "upTo"));
    }

    @Override
    public void markRead(String userId, String upToId) {
        try {
            client.putItem(r -> r.tableName(table.name())
                    .item(DynamoTable.item(Keys.notificationsRead(userId), Map.of("entity", s("notifications-read"), "upTo", s(upToId))))
                    .conditionExpression("attribute_not_exists(upTo) OR upTo < :u")
                    .expressionAttributeValues(Map.of(":u", s(upToId))));
        } catch (ConditionalCheckFailedException e) {
            // already read further: reading never moves backwards
        }
    }
}
