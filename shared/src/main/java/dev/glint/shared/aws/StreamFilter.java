package dev.glint.shared.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which change records the stream processor derives anything from, as Lambda event filter patterns
 * for the stream's event source mapping: the deployed mapping (infra-cdk) and the local stack's
 * stream poller both use {@link #patterns()}, so neither invokes the function for a record
 * {@link StreamDecoder} would read as {@code Unrelated} anyway: feed entries, fan-out pages,
 * markers, rollups, notifications, tags, uploads, quotas, and every count update of a like, comment
 * or follow item.
 *
 * <p>A record matches when any one pattern matches (Lambda ORs them); within a pattern, every field
 * must hold one of the listed values. The kinds here follow {@link StreamDecoder#decode}; a test
 * holds the two to each other.
 */
public final class StreamFilter {

    /** Items whose creation the processor counts or indexes. */
    static final Set<String> INSERTED = Set.of(PostItem.ENTITY_NAME, EngagementItem.LIKE, EngagementItem.COMMENT,
            FollowItem.ENTITY_NAME, ProfileItem.ENTITY_NAME, ExperimentItem.EXPOSURE, ExperimentItem.CONVERSION,
            ModerationItem.ACTION, DynamoPrivacyStore.REQUEST);
    /** Items whose changes matter: a post's status, caption and media. */
    static final Set<String> MODIFIED = Set.of(PostItem.ENTITY_NAME);
    /** Items whose removal the processor counts or cleans up after. */
    static final Set<String> REMOVED = Set.of(PostItem.ENTITY_NAME, EngagementItem.LIKE, EngagementItem.COMMENT,
            FollowItem.ENTITY_NAME);

    /** The code's own patterns, read and checked as a template's are. */
    private static final Predicate<ChangeRecord> OWN = of(patterns());

    private StreamFilter() {
    }

    /**
     * Whether Lambda would hand the record to the function: any pattern matches the record as Lambda
     * represents it ({@code eventName}, and {@code dynamodb} with {@code Keys}, {@code NewImage} and
     * {@code OldImage} in DynamoDB JSON). The local stack's stream poller filters with this.
     */
    public static boolean matches(ChangeRecord record) {
        return OWN.test(record);
    }

    /**
     * The filter a mapping's {@code FilterCriteria.Filters[].Pattern} values describe (the patterns a
     * synthesized template holds), checked now: a pattern that is not JSON, or that uses syntax this
     * emulation does not evaluate (content filters), is refused here, before any record is filtered.
     *
     * @throws IllegalArgumentException naming the pattern and what in it cannot be evaluated
     */
    public static Predicate<ChangeRecord> of(List<String> patterns) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            JsonNode node;
            try {
                node = Json.readTree(pattern);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("filter pattern is not JSON: " + pattern, e);
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("a filter pattern is a JSON object: " + pattern);
            }
            // Evaluating against an event that has every field finds unsupported syntax up front.
            validate(node, pattern);
            parsed.add(node);
        }
        List<JsonNode> fixed = List.copyOf(parsed);
        return record -> matchesAny(fixed, record);
    }

    private static void validate(JsonNode pattern, String source) {
        pattern.fields().forEachRemaining(field -> {
            JsonNode wanted = field.getValue();
            if (wanted.isObject()) {
                validate(wanted, source);
            } else if (wanted.isArray()) {
                for (JsonNode candidate : wanted) {
                    if (candidate.isContainerNode()) {
                        throw new IllegalArgumentException("content filters are not emulated locally: " + candidate
                                + " in " + source);
                    }
                }
            } else {
                throw new IllegalArgumentException("a filter pattern's values are objects or arrays, not " + wanted
                        + " in " + source);
            }
        });
    }

    private static boolean matchesAny(List<JsonNode> patterns, ChangeRecord record) {
        JsonNode event = asLambdaRecord(record);
        for (JsonNode pattern : patterns) {
            if (matches(pattern, event)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lambda's filter rules for the part of the syntax Glint uses: a pattern object's every field must
     * match the event's field of that name; a nested object matches a nested object; an array lists
     * the values a field may hold (equality; an array in the event matches when one element does); a
     * field the event lacks never matches. Content filters ({@code prefix}, {@code anything-but},
     * {@code numeric}, {@code exists}, ...) are refused, so a pattern that needs them cannot be
     * emulated wrongly in silence.
     */
    static boolean matches(JsonNode pattern, JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = event == null ? null : event.get(field.getKey());
            JsonNode wanted = field.getValue();
            if (wanted.isObject()) {
                if (value == null || !value.isObject() || !matches(wanted, value)) {
                    return false;
                }
            } else if (wanted.isArray()) {
                if (value == null || !anyEqual(wanted, value)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("a filter pattern's values are objects or arrays, not " + wanted);
            }
        }
        return true;
    }

    private static boolean anyEqual(JsonNode wanted, JsonNode value) {
        for (JsonNode candidate : wanted) {
            if (candidate.isContainerNode()) {
                throw new IllegalArgumentException("content filters are not emulated locally: " + candidate);
            }
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (scalarEquals(candidate, element)) {
                        return true;
                    }
                }
            } else if (scalarEquals(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean scalarEquals(JsonNode candidate, JsonNode value) {
        if (candidate.isNumber() && value.isNumber()) {
            return candidate.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        return candidate.equals(value);
    }

    /** The record in Lambda's shape, its items' string, number and boolean attributes in DynamoDB JSON. */
    static JsonNode asLambdaRecord(ChangeRecord record) {
        ObjectNode event = Json.object();
        event.put("eventName", record.kind().name());
        ObjectNode body = event.putObject("dynamodb");
        image(body, "Keys", record.keys());
        image(body, "NewImage", record.newImage());
        image(body, "OldImage", record.oldImage());
        return event;
    }

    private static void image(ObjectNode body, String name, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return;
        }
        ObjectNode image = body.putObject(name);
        item.forEach((attribute, value) -> {
            if (value.s() != null) {
                image.putObject(attribute).put("S", value.s());
            } else if (value.n() != null) {
                image.putObject(attribute).put("N", value.n());
            } else if (value.bool() != null) {
                image.putObject(attribute).put("BOOL", value.bool());
            }
        });
    }

    /** The filter patterns, as Lambda's {@code FilterCriteria.Filters[].Pattern} takes them (at most 5). */
    public static List<String> patterns() {
        return List.of(
                pattern("INSERT", "NewImage", INSERTED),
                pattern("MODIFY", "NewImage", MODIFIED),
                // A removed item's attributes are in its old image only.
                pattern("REMOVE", "OldImage", REMOVED));
    }

    private static String pattern(String eventName, String image, Set<String> entities) {
        StringBuilder values = new StringBuilder();
        for (String entity : new TreeSet<>(entities)) {
            values.append(values.length() == 0 ? "" : ",").append('"').append(entity).append('"');
        }
        return "{\"eventName\":[\"" + eventName + "\"],\"dynamodb\":{\"" + image + "\":{\"" + DynamoTable.ENTITY
                + "\":{\"S\":[" + values + "]}}}}";
    }
}
