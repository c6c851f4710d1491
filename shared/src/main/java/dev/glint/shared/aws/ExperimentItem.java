package dev.glint.shared.aws;

import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Variant;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.TTL;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * Experiment markers as items, written once each per revision of the assignment: an exposure
 * ({@code EXPERIMENT#<exp>#<user>/EXPOSURE#<revision>}) and a conversion per metric
 * ({@code .../CONVERSION#<revision>#<metric>}), each expiring ({@code ttl}) some time after the
 * experiment ends.
 */
final class ExperimentItem {

    static final String EXPOSURE = "exposure";
    static final String CONVERSION = "conversion";

    private ExperimentItem() {
    }

    static Map<String, AttributeValue> exposure(ExperimentStore.Exposure exposure, Instant keepUntil) {
        return DynamoTable.referencing(DynamoTable.item(Keys.exposure(exposure.experimentId(), exposure.revision(), exposure.userId()), Map.of(
                ENTITY, s(EXPOSURE), "experimentId", s(exposure.experimentId()), "revision", s(exposure.revision()),
                "userId", s(exposure.userId()), "variant", s(exposure.variant()),
                "split", s(split(exposure.split())),
                "at", s(exposure.at().toString()), TTL, n(keepUntil.getEpochSecond()))), exposure.userId());
    }

    static ExperimentStore.Exposure exposureFromItem(Map<String, AttributeValue> item) {
        return new ExperimentStore.Exposure(required(item, "experimentId"), required(item, "revision"),
                required(item, "userId"), required(item, "variant"), splitOf(required(item, "split")),
                Instant.parse(required(item, "at")));
    }

    static Map<String, AttributeValue> conversion(ExperimentStore.Conversion conversion, Instant keepUntil) {
        return DynamoTable.referencing(DynamoTable.item(Keys.conversion(conversion.experimentId(), conversion.revision(), conversion.userId(),
                        conversion.metric()),
                Map.of(ENTITY, s(CONVERSION), "experimentId", s(conversion.experimentId()),
                        "revision", s(conversion.revision()), "userId", s(conversion.userId()),
                        "variant", s(conversion.variant()), "metric", s(conversion.metric()),
                        "at", s(conversion.at().toString()), TTL, n(keepUntil.getEpochSecond()))), conversion.userId());
    }

    static ExperimentStore.Conversion conversionFromItem(Map<String, AttributeValue> item) {
        return new ExperimentStore.Conversion(required(item, "experimentId"), required(item, "revision"),
                required(item, "userId"), required(item, "variant"), required(item, "metric"),
                Instant.parse(required(item, "at")));
    }

    /** A revision's split as an attribute: {@code control=1,treatment=1} (variant names are [a-z0-9-]). */
    static String split(List<Variant> split) {
        StringBuilder out = new StringBuilder();
        split.forEach(v -> out.append(out.isEmpty() ? "" : ",").append(v.name()).append('=').append(v.weight()));
        return out.toString();
    }

    static List<Variant> splitOf(String value) {
        List<Variant> split = new ArrayList<>();
        for (String part : value.split(",")) {
            int eq = part.lastIndexOf('=');
            split.add(new Variant(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1))));
        }
        return split;
    }
}
