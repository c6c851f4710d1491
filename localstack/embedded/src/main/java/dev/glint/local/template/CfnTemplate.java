package dev.glint.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A synthesized CloudFormation template as read from its JSON: its resources by logical id, in the
 * template's order. Nothing is resolved here; {@link Intrinsics} resolves values.
 */
public final class CfnTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One resource: its logical id, type and raw (unresolved) properties. */
    public record Resource(String logicalId, String type, JsonNode properties) {
        /** A raw property, or a missing node. */
        public JsonNode property(String name) {
            return properties.path(name);
        }
    }

    private final Path source;
    private final Map<String, Resource> resources;

    private CfnTemplate(Path source, Map<String, Resource> resources) {
        this.source = source;
        this.resources = resources;
    }

    public static CfnTemplate read(Path file) throws IOException {
        return of(file, JSON.readTree(file.toFile()));
    }

    public static CfnTemplate parse(String json) throws IOException {
        return of(null, JSON.readTree(json));
    }

    private static CfnTemplate of(Path source, JsonNode root) {
        JsonNode all = root.path("Resources");
        if (!all.isObject() || all.isEmpty()) {
            throw new IllegalArgumentException((source == null ? "the template" : source)
                    + " has no Resources: is it a synthesized CloudFormation template?");
        }
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            var entry = it.next();
            JsonNode properties = entry.getValue().path("Properties");
            resources.put(entry.getKey(), new Resource(entry.getKey(), entry.getValue().path("Type").asText(),
                    properties.isMissingNode() ? JSON.createObjectNode() : properties));
        }
        return new CfnTemplate(source, java.util.Collections.unmodifiableMap(resources));
    }

    public Path source() {
        return source;
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public Optional<Resource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    public List<Resource> ofType(String type) {
        List<Resource> out = new ArrayList<>();
        for (Resource resource : resources.values()) {
            if (resource.type().equals(type)) {
                out.add(resource);
            }
        }
        return out;
    }

    static JsonNode missing() {
        return MissingNode.getInstance();
    }
}
