package dev.glint.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the functions' stream entry points share: reading an invocation's JSON into a tree and
 * fields out of it as Lambda's own serializer does (absent or null fields stay null, scalars are
 * read as text where the event class holds text), and writing a response.
 *
 * <p>Why the entry points read events themselves: the Java runtime's serializer for typed events
 * sets up its own shaded Jackson with mix-ins and Joda-Time, about 800 classes and 250-400 ms of a
 * cold start (measured with {@code ./glint bench coldstart}).
 */
public final class EventJson {

    private EventJson() {
    }

    /** The invocation's JSON; the event must be one JSON value. */
    public static JsonNode read(InputStream in) throws IOException {
        return Json.readTree(in.readAllBytes());
    }

    /** Writes a response (maps, lists, strings, numbers, booleans) as UTF-8 JSON. */
    public static void write(Object response, OutputStream out) throws IOException {
        out.write(Json.write(response).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The field as text; null if absent or null; numbers and booleans as their text. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : Json.write(value);
    }

    /** An object of text values; null if absent or null. */
    public static Map<String, String> strings(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || !value.isObject()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            out.put(entry.getKey(), text(value, entry.getKey()));
        }
        return out;
    }

    /** An array of text values; null if absent or null. */
    public static List<String> stringList(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || !value.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            out.add(item.isNull() ? null : item.isValueNode() ? item.asText() : Json.write(item));
        }
        return out;
    }

    /** Base64 text as bytes; null if absent or null. */
    public static ByteBuffer bytes(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : ByteBuffer.wrap(Base64.getDecoder().decode(value));
    }

    /**
     * Writes a batch response, {@code {"batchItemFailures":[{"itemIdentifier":...}]}}, as SQS and
     * DynamoDB stream event sources read it; an identifier may be null.
     */
    public static void writeBatchFailures(List<String> itemIdentifiers, OutputStream out) throws IOException {
        List<Map<String, String>> failures = new ArrayList<>();
        for (String id : itemIdentifiers) {
            Map<String, String> failure = new LinkedHashMap<>();
            failure.put("itemIdentifier", id);
            failures.add(failure);
        }
        write(Map.of("batchItemFailures", failures), out);
    }

    /** An array of base64 texts as bytes; null if absent or null. */
    public static List<ByteBuffer> byteList(JsonNode node, String field) {
        List<String> values = stringList(node, field);
        return values == null ? null
                : values.stream().map(value -> ByteBuffer.wrap(Base64.getDecoder().decode(value))).toList();
    }

    /** The records of a batch event: an empty list if there are none. */
    public static Iterable<JsonNode> records(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() ? records : List.of();
    }
}
