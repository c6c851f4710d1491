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

    static final int MAX_BYTES = 64 * 1024;

    private final JsonNode object;

    private JsonNode node(String field) {
        return object.get(field);
    }

    private JsonBody(JsonNode object) {
        this.object = object;
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
        List<String> unknown = new ArrayList<>();
        tree.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "unknown_field", "Unknown field(s) " + unknown.stream().map(JsonBody::shorten).toList()
                    + "; this route accepts " + new java.util.TreeSet<>(allowed) + ".");
        }
        return new JsonBody(tree);
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
            throw new ApiException(400, "invalid_field", field + " must be a string.");
        }
        return Optional.of(value.asText());
    }

    String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> new ApiException(400, "missing_field", field + " is required."));
    }

    long requiredLong(String field) {
        JsonNode value = node(field);
        if (value == null || value.isNull()) {
            throw new ApiException(400, "missing_field", field + " is required.");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ApiException(400, "invalid_field", field + " must be a whole number.");
        }
        return value.asLong();
    }

    private static String shorten(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "…" : name;
    }
}
