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
