package dev.glint.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.shared.experiments.ExperimentChangeStore;
import dev.glint.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * The change log on the table: {@code pk = EXPCHANGE#<experimentId>}, {@code sk = <at>#V#<version>},
 * one item per change, kept (no expiry); an experiment's log is one query, newest first.
 */
public final class DynamoExperimentChangeStore implements ExperimentChangeStore {

    static final String ENTITY_NAME = "EXPCHANGE";

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoExperimentChangeStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public void record(Change change) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put(DynamoTable.ENTITY, s(ENTITY_NAME));
        attributes.put("experimentId", s(change.experimentId()));
        attributes.put("at", s(change.at().toString()));
        attributes.put("version", n(change.version()));
        attributes.put("by", s(change.by()));
        if (change.handle() != null) {
            attributes.put("handle", s(change.handle()));
        }
        attributes.put("action", s(change.action()));
        if (change.reason() != null) {
            attributes.put("reason", s(change.reason()));
        }
        ObjectNode fields = Json.object();
        change.fields().forEach((name, value) -> {
            ObjectNode field = fields.putObject(name);
            field.set("before", value.before());
            field.set("after", value.after());
        });
        attributes.put("fields", s(Json.write(fields)));
        var item = DynamoTable.item(Keys.experimentChange(change.experimentId(), change.at(), change.version()), attributes);
        // A version is written once: the same key again would be a replay of the same change.
        client.putItem(r -> r.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public List<Change> changes(String experimentId, int limit) {
        return table.page(Keys.experimentChanges(experimentId), null, true, limit, Optional.empty(), false,
                DynamoExperimentChangeStore::fromItem).items();
    }

    private static Change fromItem(Map<String, AttributeValue> item) {
        Map<String, FieldChange> fields = new LinkedHashMap<>();
        try {
            JsonNode node = Json.readTree(str(item, "fields"));
            node.fields().forEachRemaining(f -> fields.put(f.getKey(), new FieldChange(
                    f.getValue().path("before"), f.getValue().path("after"))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an unreadable experiment change " + str(item, "sk"), e);
        }
        return new Change(str(item, "experimentId"), Instant.parse(str(item, "at")), (int) num(item, "version"),
                str(item, "by"), str(item, "handle"), str(item, "action"), str(item, "reason"), fields);
    }
}
