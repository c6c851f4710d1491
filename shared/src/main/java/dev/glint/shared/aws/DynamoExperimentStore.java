package dev.glint.shared.aws;

import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.GuardrailCounts;
import dev.glint.shared.experiments.Variant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.str;

/**
 * {@link ExperimentStore} on the table: markers written with {@code attribute_not_exists}, rollups read
 * in one query; and the api's {@link GuardrailCounts}, one {@code ADD} update per variant flushed.
 */
public final class DynamoExperimentStore implements ExperimentStore, GuardrailCounts {

    /** Attributes of a revision's variant rollup beside its counts (set by {@link DynamoRollupStore}). */
    static final String REVISION = "revision";
    static final String VARIANT = "variant";
    static final String SPLIT = "split";

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoExperimentStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public boolean recordExposure(Exposure exposure, Instant keepUntil) {
        return putOnce(ExperimentItem.exposure(exposure, keepUntil));
    }

    @Override
    public boolean recordConversion(Conversion conversion, Instant keepUntil) {
        return putOnce(ExperimentItem.conversion(conversion, keepUntil));
    }

    private boolean putOnce(Map<String, AttributeValue> item) {
        try {
            client.putItem(r -> r.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * One update: adds every count to the variant's request item ({@link Keys#experimentVariantRequests}),
     * created by the first, labelled with its revision and variant as the rollups are.
     */
    @Override
    public void add(String experimentId, String revision, String variant, Map<String, Long> increments) {
        if (increments.isEmpty()) {
            return;
        }
        StringBuilder expression = new StringBuilder("SET #entity = :entity, #revision = :revision, #variant = :variant ADD ");
        Map<String, String> names = new HashMap<>(Map.of("#entity", DynamoTable.ENTITY, "#revision", REVISION,
                "#variant", VARIANT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":entity", DynamoTable.s(REQUESTS_ENTITY),
                ":revision", DynamoTable.s(revision), ":variant", DynamoTable.s(variant)));
        int i = 0;
        for (var entry : increments.entrySet()) {
            expression.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :c").append(i);
            names.put("#c" + i, entry.getKey());
            values.put(":c" + i, AttributeValue.fromN(Long.toString(entry.getValue())));
            i++;
        }
        client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.experimentVariantRequests(experimentId,
                        revision, variant))).updateExpression(expression.toString()).expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    /** The entity of a variant's request guardrail counts. */
    static final String REQUESTS_ENTITY = "experiment-requests";

    @Override
    public Markers markers(Collection<UserInExperiment> pairs, Collection<String> metrics) {
        List<Key> keys = new ArrayList<>();
        for (UserInExperiment pair : pairs) {
            keys.add(Keys.exposure(pair.experimentId(), pair.revision(), pair.userId()));
            metrics.forEach(metric -> keys.add(Keys.conversion(pair.experimentId(), pair.revision(), pair.userId(), metric)));
        }
        Map<UserInExperiment, Exposure> exposures = new HashMap<>();
        Set<Conversion> converted = new HashSet<>();
        for (Map<String, AttributeValue> item : table.getAll(keys, true)) {
            String entity = String.valueOf(str(item, DynamoTable.ENTITY));
            if (entity.equals(ExperimentItem.EXPOSURE)) {
                Exposure exposure = ExperimentItem.exposureFromItem(item);
                exposures.put(new UserInExperiment(exposure.experimentId(), exposure.revision(), exposure.userId()), exposure);
            } else if (entity.equals(ExperimentItem.CONVERSION)) {
                converted.add(ExperimentItem.conversionFromItem(item));
            }
        }
        return new Markers(exposures, converted);
    }

    /**
     * Every revision's rollups, in one query of the experiment's partition (a few items a revision):
     * a variant's item holds its counts as numbers, beside its revision's split, whose order the
     * variants are returned in.
     */
    @Override
    public List<RevisionCounts> counts(String experimentId) {
        Map<String, List<Map<String, AttributeValue>>> byRevision = new LinkedHashMap<>();
        client.queryPaginator(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", DynamoTable.s(Keys.experimentRollups(experimentId)),
                                ":prefix", DynamoTable.s(Keys.REVISION_PREFIX))))
                .items().forEach(item -> byRevision.computeIfAbsent(str(item, REVISION), k -> new ArrayList<>()).add(item));
        List<RevisionCounts> out = new ArrayList<>();
        byRevision.forEach((revision, items) -> {
            List<Variant> split = items.stream().map(item -> str(item, SPLIT)).filter(Objects::nonNull).findFirst()
                    .map(ExperimentItem::splitOf).orElse(List.of());
            List<String> order = split.stream().map(Variant::name).toList();
            Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
            items.stream().sorted(Comparator.comparingInt(item -> order.contains(str(item, VARIANT))
                            ? order.indexOf(str(item, VARIANT)) : order.size()))
                    // a variant's rollup and its request counts are two items: their counts together
                    .forEach(item -> countsOf(item).forEach((name, value) -> counts
                            .computeIfAbsent(str(item, VARIANT), v -> new LinkedHashMap<>()).merge(name, value, Long::sum)));
            out.add(new RevisionCounts(revision, split, counts));
        });
        return out;
    }

    private static Map<String, Long> countsOf(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new LinkedHashMap<>();
        item.forEach((name, value) -> {
            if (value.n() != null && (name.equals("exposures") || name.startsWith("conversions:")
                    || name.startsWith("guardrail:"))) {
                counts.put(name, Long.parseLong(value.n()));
            }
        });
        return counts;
    }
}
