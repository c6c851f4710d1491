package dev.glint.shared.aws;

import dev.glint.shared.social.Notification;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Notifications as items: each in its user's list by time-ordered id ({@code NOTIF#<user>/<id>}),
 * the marker that makes it once per (kind, actor, subject) ({@code NOTIFONCE#...}), and how far the
 * user has read ({@code USER#<user>/NOTIFICATIONS-READ}).
 */
final class NotificationItem {

    static final String UP_TO = "upTo";

    private NotificationItem() {
    }

    static Map<String, AttributeValue> toItem(String userId, Notification notification, long ttl) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                ENTITY, s("notification"), "notificationId", s(notification.id()), "kind", s(notification.kind()),
                "actorId", s(notification.actorId()), "createdAt", s(notification.createdAt().toString()), TTL, n(ttl)));
        if (notification.subjectId() != null) {
            item.put("subjectId", s(notification.subjectId()));
        }
        return DynamoTable.referencing(DynamoTable.item(Keys.notification(userId, notification.id()), item),
                notification.actorId());
    }

    static Notification fromItem(Map<String, AttributeValue> item) {
        return new Notification(required(item, "notificationId"), required(item, "kind"), required(item, "actorId"),
                str(item, "subjectId"), instant(item, "createdAt"));
    }

    static Map<String, AttributeValue> once(String userId, Notification notification, long ttl) {
        return DynamoTable.referencing(DynamoTable.item(Keys.notificationOnce(userId, notification.kind(), notification.actorId(),
                notification.subjectId() == null ? "-" : notification.subjectId()),
                Map.of(ENTITY, s("notification-once"), TTL, n(ttl))), notification.actorId());
    }

    static Map<String, AttributeValue> readUpTo(String userId, String upToId) {
        return DynamoTable.item(Keys.notificationsRead(userId), Map.of(ENTITY, s("notifications-read"), UP_TO, s(upToId)));
    }
}
