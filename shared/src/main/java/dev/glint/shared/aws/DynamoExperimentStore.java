package dev.glint.shared.aws;

import dev.glint.shared.keys.Key;
import dev.glint.shared.keys.Keys;
import dev.glint.shared.ports.ExperimentStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** {@link ExperimentStore} on the table: markers written with {@code attribute_not_exists}, rollups read in one batch. */
public final class DynamoExperimentStore implements ExperimentStore {

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoExperimentStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public boolean recordExposure(Exposure exposure) {
        return putOnce(DynamoTable.item(Keys.exposure(exposure.experimentId(), exposure.userId()), Map.of(
                "entity", s("exposure"), "experimentId", s(exposure.experimentId()), "userId", s(exposure.userId()),
                "variant", s(exposure.variant()), "at", s(exposure.at().toString()))));
    }

    @Override
    public boolean recordConversion(Conversion conversion) {
        return putOnce(DynamoTable.item(Keys.conversion(conversion.experimentId(), conversion.userId(), conversion.metric()),
                Map.of("entity", s("conversion"), "experimentId", s(conversion.experimentId()),
                        "userId", s(conversion.userId()), "variant", s(conversion.variant()),
                        "metric", s(conversion.metric()), "at", s(conversion.at().toString()))));
    }

    private boolean putOnce(Map<String, AttributeValue> item) {
        try {
            client.putItem(r -> r.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics) {
        List<Key> keys = new ArrayList<>();
        for (UserInExperiment pair : pairs) {
            keys.add(Keys.exposure(pair.experimentId(), pair.userId()));
            metrics.forEach(metric -> keys.add(Keys.conversion(pair.experimentId(), pair.userId(), metric)));
        }
        Map<UserInExperiment, Exposure> exposures = new HashMap<>();
        Set<Conversion> converted = new HashSet<>();
        for (Map<String, AttributeValue> item : table.getAll(keys, true)) {
            String experiment = str(item, "experimentId");
            String user = str(item, "userId");
            Instant at = Instant.parse(str(item, "at"));
            if ("exposure".equals(str(item, "entity"))) {
                exposures.put(new UserInExperiment(experiment, user), new Exposure(experiment, user, str(item, "variant"), at));
            } else if ("conversion".equals(str(item, "entity"))) {
                converted.add(new Conversion(experiment, user, str(item, "variant"), str(item, "metric"), at));
            }
        }
        return new Markers(exposures, converted);
    }

    @Override
    public Map<String, Map<String, Long>> counts(String experimentId, List<String> variants) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        Map<String, String> variantOfSk = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        for (String variant : variants) {
            Key key = Keys.experimentVariant(experimentId, variant);
            keys.add(key);
            variantOfSk.put(key.sk(), variant);
            out.put(variant, new LinkedHashMap<>());
        }
        for (Map<String, AttributeValue> item : table.getAll(keys, false)) {
            Map<String, Long> counts = out.get(variantOfSk.get(str(item, "sk")));
            item.forEach((name, value) -> {
                if (value.n() != null) {
                    counts.put(name, Long.parseLong(value.n()));
                }
            });
        }
        return out;
    }
}
