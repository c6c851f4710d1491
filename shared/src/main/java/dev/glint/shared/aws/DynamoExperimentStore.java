package dev.glint.shared.aws;

import dev.glint.shared.experiments.ExperimentStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        return putOnce(ExperimentItem.exposure(exposure));
    }

    @Override
    public boolean recordConversion(Conversion conversion) {
        return putOnce(ExperimentItem.conversion(conversion));
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
            String entity = String.valueOf(str(item, DynamoTable.ENTITY));
            if (entity.equals(ExperimentItem.EXPOSURE)) {
                Exposure exposure = ExperimentItem.exposureFromItem(item);
                exposures.put(new UserInExperiment(exposure.experimentId(), exposure.userId()), exposure);
            } else if (entity.equals(ExperimentItem.CONVERSION)) {
                converted.add(ExperimentItem.conversionFromItem(item));
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
            Map<String, Long> counts = out.get(variantOfSk.get(str(item, DynamoTable.SK)));
            item.forEach((name, value) -> {
                if (value.n() != null) {
                    counts.put(name, Long.parseLong(value.n()));
                }
            });
        }
        return out;
    }
}
