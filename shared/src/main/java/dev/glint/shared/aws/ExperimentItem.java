package dev.glint.shared.aws;

import dev.glint.shared.experiments.ExperimentStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * Experiment markers as items, written once each: an exposure ({@code EXPERIMENT#<exp>#<user>/EXPOSURE})
 * and a conversion per metric ({@code .../CONVERSION#<metric>}).
 */
final class ExperimentItem {

    static final String EXPOSURE = "exposure";
    static final String CONVERSION = "conversion";

    private ExperimentItem() {
    }

    static Map<String, AttributeValue> exposure(ExperimentStore.Exposure exposure) {
        return DynamoTable.item(Keys.exposure(exposure.experimentId(), exposure.userId()), Map.of(
                ENTITY, s(EXPOSURE), "experimentId", s(exposure.experimentId()), "userId", s(exposure.userId()),
                "variant", s(exposure.variant()), "at", s(exposure.at().toString())));
    }

    static ExperimentStore.Exposure exposureFromItem(Map<String, AttributeValue> item) {
        return new ExperimentStore.Exposure(required(item, "experimentId"), required(item, "userId"),
                required(item, "variant"), Instant.parse(required(item, "at")));
    }

    static Map<String, AttributeValue> conversion(ExperimentStore.Conversion conversion) {
        return DynamoTable.item(Keys.conversion(conversion.experimentId(), conversion.userId(), conversion.metric()),
                Map.of(ENTITY, s(CONVERSION), "experimentId", s(conversion.experimentId()),
                        "userId", s(conversion.userId()), "variant", s(conversion.variant()),
                        "metric", s(conversion.metric()), "at", s(conversion.at().toString())));
    }

    static ExperimentStore.Conversion conversionFromItem(Map<String, AttributeValue> item) {
        return new ExperimentStore.Conversion(required(item, "experimentId"), required(item, "userId"),
                required(item, "variant"), required(item, "metric"), Instant.parse(required(item, "at")));
    }
}
