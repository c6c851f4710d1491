package dev.glint.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object body, read strictly: the right content type, valid UTF-8, within the size
 * limit, well-formed, no duplicate and no unknown fields, and each field of the expected type.
 * Every refusal is a 4xx that names what to fix.
 */
final class JsonBody {

    /** Room for the largest valid body: an album of 10 photos, each with 1,500 characters of alt text. */
    static final int MAX_BYTES = 128 * 1024;

    private final JsonNode object;
    /** Where this object is in the body ({@code "photos[2]."}), for messages; "" at the top. */
    private final String where;

    /** The object as read (its fields checked against the allowed ones). */
    JsonNode tree() {
        return object;
    }

    private JsonNode node(String field) {
        return object.get(field);
    }

    private JsonBody(JsonNode object, String where) {
        this.object = object;
        this.where = where;
    }

    static JsonBody read(HttpRequest request, Set<String> allowed) {
        String contentType = request.headers().getOrDefault("content-type", "");
        if (!contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
        }
        if (request.body().length > MAX_BYTES) {
            throw new ApiException(413, "body_too_large", "The body may be at most " + MAX_BYTES + " bytes.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(request.body())).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "invalid_utf8", "The body is not valid UTF-8.");
        }
        JsonNode tree;
        try {
            tree = Json.readTree(text);
        } catch (StreamConstraintsException e) {
            // The parser's limits (nesting depth, number and string lengths) carry no location.
            throw new ApiException(400, "invalid_json", "The body is nested too deeply or holds a value too long to read.");
        } catch (JsonProcessingException e) {
            if (e.getLocation() == null) {
                throw new ApiException(400, "invalid_json", "The body is not valid JSON.");
            }
            throw new ApiException(400, "invalid_json", "The body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        }
        if (tree == null || !tree.isObject()) {
            throw new ApiException(400, "invalid_json", "The body must be a JSON object.");
        }
        refuseLoneSurrogates(tree, "");
        return of(tree, "", allowed);
    }

    private static JsonBody of(JsonNode tree, String where, Set<String> allowed) {
        List<String> unknown = new ArrayList<>();
        tree.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "unknown_field", "Unknown field(s) " + unknown.stream().map(name -> where + shorten(name))
                    .toList() + "; " + (where.isEmpty() ? "this route accepts " : where + " accepts ")
                    + new java.util.TreeSet<>(allowed) + ".");
        }
        return new JsonBody(tree, where);
    }

    /** Whether the field is present and not null. */
    boolean has(String field) {
        JsonNode value = node(field);
        return value != null && !value.isNull();
    }

    /**
     * An array of objects, each with only the allowed fields, between {@code min} and {@code max}
     * long; absent or null is empty.
     */
    Optional<List<JsonBody>> optionalObjects(String field, Set<String> allowed, int min, int max) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw new ApiException(400, "invalid_field", where + field + " must be an array of objects.");
        }
        if (value.size() < min || value.size() > max) {
            throw new ApiException(400, "invalid_" + field, where + field + " must hold " + min + " to " + max
                    + " items (got " + value.size() + ").");
        }
        List<JsonBody> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String at = where + field + "[" + i + "]";
            if (item == null || !item.isObject()) {
                throw new ApiException(400, "invalid_field", at + " must be an object.");
            }
            out.add(of(item, at + ".", allowed));
        }
        return Optional.of(out);
    }

    /** An object with only the allowed fields. */
    Optional<JsonBody> optionalObject(String field, Set<String> allowed) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw new ApiException(400, "invalid_field", where + field + " must be an object.");
        }
        return Optional.of(of(value, where + field + ".", allowed));
    }

    double requiredNumber(String field) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            throw new ApiException(400, "missing_field", where + field + " is required.");
        }
        if (!value.isNumber()) {
            throw new ApiException(400, "invalid_field", where + field + " must be a number.");
        }
        return value.asDouble();
    }

    /**
     * A JSON escape can spell half of a UTF-16 surrogate pair ({@code "\\ud800"}), which no UTF-8 text
     * can hold: stored, it would be written as {@code ?} and the text silently changed (a hashtag
     * broken, a name altered). Refused instead, naming the field, as the same bytes sent raw are.
     */
    private static void refuseLoneSurrogates(JsonNode node, String where) {
        if (node.isTextual()) {
            int at = loneSurrogate(node.textValue());
            if (at >= 0) {
                throw new ApiException(400, "invalid_text", (where.isEmpty() ? "The body" : where)
                        + " holds a lone surrogate (\\u" + Integer.toHexString(node.textValue().charAt(at))
                        + " at character " + at + ", half of a UTF-16 pair): send whole characters only.");
            }
            return;
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String name = field.getKey();
                if (loneSurrogate(name) >= 0) {
                    throw new ApiException(400, "invalid_text", "A field name holds a lone surrogate (half of a UTF-16 pair): send whole characters only.");
                }
                refuseLoneSurrogates(field.getValue(), where.isEmpty() ? shorten(name) : where + "." + shorten(name));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseLoneSurrogates(node.get(i), (where.isEmpty() ? "The body" : where) + "[" + i + "]");
            }
        }
    }

    /** The index of the first surrogate that is not half of a well-formed pair, or -1. */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    Optional<String> optionalString(String field) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new ApiException(400, "invalid_field", where + field + " must be a string.");
        }
        return Optional.of(value.asText());
    }

    Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new ApiException(400, "invalid_field", where + field + " must be true or false.");
        }
        return Optional.of(value.booleanValue());
    }

    String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> new ApiException(400, "missing_field", where + field + " is required."));
    }

    long requiredLong(String field) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            throw new ApiException(400, "missing_field", where + field + " is required.");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ApiException(400, "invalid_field", where + field + " must be a whole number.");
        }
        return value.asLong();
    }

    private static String shorten(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "…" : name;
    }
}
