package dev.glint.shared.aws;

import dev.glint.shared.export.DataExport;
import dev.glint.shared.export.ExportLedger;
import dev.glint.shared.social.Notification;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Exports as items: each export {@code EXPORTS#<user>} / {@code EXPORT#<id>} with its status and a TTL
 * (when its archive expires), and the user's one slot {@code EXPORTS#<user>} / {@code RUNNING} naming the
 * export that runs. Starting puts both in one transaction, the slot conditioned on being free (no
 * {@code exportId}) or held since before the stuck limit. Finishing updates the export (conditioned on
 * {@code running}), frees the slot (conditioned on naming it) and, when ready, writes the notification:
 * updates only, so the worker needs no {@code PutItem}.
 */
public final class DynamoExportStore implements ExportLedger {

    static final String ENTITY_NAME = "export";
    static final String SLOT_ENTITY = "export-slot";
    private static final String EXPORT_ID = "exportId";
    private static final String STATUS = "status";
    private static final String REASON = "reason";
    private static final String CREATED_AT = "createdAt";
    private static final String FINISHED_AT = "finishedAt";
    private static final String BYTES = "bytes";
    private static final String PHOTOS = "photos";
    private static final String OBJECT_KEY = "objectKey";
    private static final String EXPIRES_AT = "expiresAt";
    private static final String STARTED_AT = "startedAt";
    /** How long an export_ready notification is kept, as the others are. */
    private static final Duration NOTIFICATION_KEPT = Duration.ofDays(30);

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoExportStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public Start start(DataExport export, Instant stuckBefore) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(ENTITY, s(ENTITY_NAME), EXPORT_ID, s(export.id()),
                STATUS, s(status(export.status())), CREATED_AT, s(export.createdAt().toString()),
                OBJECT_KEY, s(export.objectKey()), EXPIRES_AT, s(export.expiresAt().toString()),
                TTL, n(export.expiresAt().getEpochSecond())));
        Key slot = Keys.exportSlot(export.userId());
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(DynamoTable.key(slot))
                        .updateExpression("SET #e = :entity, #id = :id, #at = :at")
                        .conditionExpression("attribute_not_exists(#id) OR #at < :stuck")
                        .expressionAttributeNames(Map.of("#e", ENTITY, "#id", EXPORT_ID, "#at", STARTED_AT))
                        .expressionAttributeValues(Map.of(":entity", s(SLOT_ENTITY), ":id", s(export.id()),
                                ":at", s(export.createdAt().toString()), ":stuck", s(stuckBefore.toString())))).build(),
                table.put(DynamoTable.item(Keys.export(export.userId(), export.id()), item), "attribute_not_exists(pk)"));
        try {
            table.transact(writes);
            return new Started(export);
        } catch (DynamoTable.ConditionFailed e) {
            String running = table.get(slot, true).map(i -> str(i, EXPORT_ID)).orElse(null);
            if (running == null) {
                // Freed between the two: the caller may simply ask again.
                throw new IllegalStateException("the export slot changed while an export started", e);
            }
            return new AlreadyRunning(running);
        }
    }

    @Override
    public Optional<DataExport> get(String userId, String exportId) {
        return table.get(Keys.export(userId, exportId), true).map(item -> fromItem(userId, item));
    }

    @Override
    public List<DataExport> recent(String userId, int limit) {
        return table.page(Keys.exportsPartition(userId), Keys.EXPORT_PREFIX, true, limit, Optional.empty(), true,
                item -> fromItem(userId, item)).items();
    }

    @Override
    public boolean ready(String userId, String exportId, long bytes, int photos, String notificationId, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":running", s("running"), ":ready", s("ready"),
                ":f", s(now.toString()), ":b", n(bytes), ":p", n(photos)));
        Notification notification = new Notification(notificationId, Notification.EXPORT_READY, Notification.GLINT, exportId, now);
        Map<String, AttributeValue> note = NotificationItem.toItem(userId, notification,
                now.plus(NOTIFICATION_KEPT).getEpochSecond());
        return finish(userId, exportId, TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(DynamoTable.key(Keys.export(userId, exportId)))
                .updateExpression("SET #s = :ready, #f = :f, #b = :b, #p = :p")
                .conditionExpression("#s = :running")
                .expressionAttributeNames(Map.of("#s", STATUS, "#f", FINISHED_AT, "#b", BYTES, "#p", PHOTOS))
                .expressionAttributeValues(values)).build(), Optional.of(asUpdate(note)));
    }

    @Override
    public boolean failed(String userId, String exportId, String reason, Instant now) {
        return finish(userId, exportId, TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(DynamoTable.key(Keys.export(userId, exportId)))
                .updateExpression("SET #s = :failed, #f = :f, #r = :r")
                .conditionExpression("#s = :running")
                .expressionAttributeNames(Map.of("#s", STATUS, "#f", FINISHED_AT, "#r", REASON))
                .expressionAttributeValues(Map.of(":running", s("running"), ":failed", s("failed"),
                        ":f", s(now.toString()), ":r", s(reason)))).build(), Optional.empty());
    }

    private boolean finish(String userId, String exportId, TransactWriteItem export, Optional<TransactWriteItem> more) {
        List<TransactWriteItem> writes = new java.util.ArrayList<>(List.of(export,
                TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(DynamoTable.key(Keys.exportSlot(userId)))
                        .updateExpression("REMOVE #id, #at").conditionExpression("#id = :id")
                        .expressionAttributeNames(Map.of("#id", EXPORT_ID, "#at", STARTED_AT))
                        .expressionAttributeValues(Map.of(":id", s(exportId)))).build()));
        more.ifPresent(writes::add);
        try {
            table.transact(writes);
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            if (e.index() == 1) {
                // The slot went to a newer export (this one was stuck and replaced): finish this one alone.
                writes.remove(1);
                try {
                    table.transact(writes);
                    return true;
                } catch (DynamoTable.ConditionFailed again) {
                    return false;
                }
            }
            return false;
        }
    }

    /** A whole item written as an update of its key (the worker's role updates, it does not put). */
    private TransactWriteItem asUpdate(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = Map.of(DynamoTable.PK, item.get(DynamoTable.PK), DynamoTable.SK, item.get(DynamoTable.SK));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET ");
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            if (key.containsKey(attribute.getKey())) {
                continue;
            }
            if (i > 0) {
                set.append(", ");
            }
            set.append("#a").append(i).append(" = :v").append(i);
            names.put("#a" + i, attribute.getKey());
            values.put(":v" + i, attribute.getValue());
            i++;
        }
        return TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(key).updateExpression(set.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    private static String status(DataExport.Status status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static DataExport fromItem(String userId, Map<String, AttributeValue> item) {
        String finished = str(item, FINISHED_AT);
        return new DataExport(str(item, EXPORT_ID), userId,
                DataExport.Status.valueOf(str(item, STATUS).toUpperCase(java.util.Locale.ROOT)), str(item, REASON),
                Instant.parse(str(item, CREATED_AT)), finished == null ? null : Instant.parse(finished),
                item.containsKey(BYTES) ? num(item, BYTES) : 0, item.containsKey(PHOTOS) ? (int) num(item, PHOTOS) : 0,
                str(item, OBJECT_KEY), Instant.parse(str(item, EXPIRES_AT)));
    }
}
