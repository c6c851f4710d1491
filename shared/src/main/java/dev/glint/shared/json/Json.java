package dev.glint.shared.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Glint's JSON, read strictly and written plainly, on Jackson's streaming parser and generator only.
 *
 * <p>Reading gives Jackson's tree ({@link JsonNode}); duplicate keys and anything after the value are
 * errors, and the parser's limits (nesting depth, lengths) hold, so a malformed payload is refused
 * instead of half-read. Writing takes what Glint sends: maps, lists and arrays, records (their
 * components, in order; an {@link Optional} component is left out when empty, as Jackson's
 * {@code NON_ABSENT} does; elsewhere an {@code Optional} is its value or null), strings, numbers, booleans, enums, trees and null; anything else is a bug
 * and throws.
 *
 * <p>Why not {@code ObjectMapper}: its data binding loaded about 450 classes at each cold start
 * (150 to 350 ms of it, measured with {@code ./glint bench coldstart}), and Glint reads no JSON into
 * objects that a tree does not serve as well. {@code JsonTest} keeps the output equal to the mapper's.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /**
     * Reads one JSON value; empty input reads as a {@link MissingNode}.
     *
     * @throws JsonProcessingException if the text is not one well-formed value, repeats a key, or
     *                                 passes the parser's limits ({@code StreamConstraintsException})
     */
    public static JsonNode readTree(String text) throws JsonProcessingException {
        return parse(() -> FACTORY.createParser(text));
    }

    /** As {@link #readTree(String)}, from UTF-8 bytes. */
    public static JsonNode readTree(byte[] utf8) throws JsonProcessingException {
        return parse(() -> FACTORY.createParser(utf8));
    }

    private interface ParserSource {
        JsonParser open() throws IOException;
    }

    private static JsonNode parse(ParserSource source) throws JsonProcessingException {
        try (JsonParser parser = source.open()) {
            return read(parser);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a JSON object whose every value is a string (cursors).
     *
     * @throws JsonProcessingException if it is not JSON, or not an object of strings
     */
    public static Map<String, String> readStringMap(byte[] utf8) throws JsonProcessingException {
        JsonNode tree = readTree(utf8);
        if (!tree.isObject()) {
            throw new JsonParseException(null, "expected a JSON object of strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw new JsonParseException(null, "field " + field.getKey() + " is not a string");
            }
            values.put(field.getKey(), field.getValue().textValue());
        }
        return values;
    }

    /** A new, empty object node to build a tree with. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Serializes a value of the kinds listed above. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static JsonNode read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode value = value(parser, first);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after the value");
        }
        return value;
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default:
                        return NODES.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(parser, "Unexpected token " + token);
        }
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Boolean bool) {
            out.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number) {
            out.writeNumber(number);
        } else if (value instanceof Float number) {
            out.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            out.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            out.writeNumber(number);
        } else if (value instanceof JsonNode node) {
            writeNode(out, node);
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                out.writeFieldName(key instanceof Enum<?> e ? e.name() : String.valueOf(key));
                write(out, entry.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            out.writeStartArray();
            for (Object item : items) {
                write(out, item);
            }
            out.writeEndArray();
        } else if (value instanceof byte[] bytes) {
            out.writeBinary(bytes);
        } else if (value.getClass().isArray()) {
            out.writeStartArray();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                write(out, Array.get(value, i));
            }
            out.writeEndArray();
        } else if (value instanceof Enum<?> constant) {
            out.writeString(constant.name());
        } else if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null));
        } else if (value instanceof Character c) {
            out.writeString(c.toString());
        } else if (value.getClass().isRecord()) {
            out.writeStartObject();
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                Object field = component(value, component);
                if (field instanceof Optional<?> optional) {
                    if (optional.isEmpty()) {
                        continue;
                    }
                    field = optional.get();
                }
                // A name Java does not allow for a component (private) is given as Jackson's mapper takes it.
                JsonProperty named = component.getAccessor().getAnnotation(JsonProperty.class);
                out.writeFieldName(named != null && !named.value().isEmpty() ? named.value() : component.getName());
                write(out, field);
            }
            out.writeEndObject();
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static Object component(Object record, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + component, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading " + component + " failed", e.getCause());
        }
    }

    private static void writeNode(JsonGenerator out, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT:
                out.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    out.writeFieldName(field.getKey());
                    writeNode(out, field.getValue());
                }
                out.writeEndObject();
                break;
            case ARRAY:
                out.writeStartArray();
                for (JsonNode item : node) {
                    writeNode(out, item);
                }
                out.writeEndArray();
                break;
            case STRING:
                out.writeString(node.textValue());
                break;
            case NUMBER:
                write(out, node.numberValue());
                break;
            case BOOLEAN:
                out.writeBoolean(node.booleanValue());
                break;
            case NULL:
            case MISSING:
                out.writeNull();
                break;
            default:
                throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }
}
