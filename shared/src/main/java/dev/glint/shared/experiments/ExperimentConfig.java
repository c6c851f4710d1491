package dev.glint.shared.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.shared.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The experiments of a deployment: versioned configuration, the file {@link #RESOURCE} shipped in
 * the code, which a stage may replace with its own JSON in {@link #ENV_VAR} (infra-cdk sets it from
 * {@code infra-cdk/experiments/<stage>.json} when that file exists). Read once at init and validated
 * strictly: a bad file stops the function with a message naming every problem.
 */
public record ExperimentConfig(List<Experiment> experiments) {

    public static final String ENV_VAR = "GLINT_EXPERIMENTS";
    public static final String RESOURCE = "/dev/glint/shared/experiments/experiments.json";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> EXPERIMENT_FIELDS = Set.of("id", "description", "surface", "variants", "control",
            "metrics", "start", "end", "allocation", "minimumDetectableLift", "status", "guardrails");

    public ExperimentConfig {
        experiments = List.copyOf(experiments);
    }

    public static ExperimentConfig none() {
        return new ExperimentConfig(List.of());
    }

    /** The experiments shipped with the code (read once). */
    public static ExperimentConfig shipped() {
        return Shipped.CONFIG;
    }

    private static final class Shipped {
        static final ExperimentConfig CONFIG = read();
    }

    private static ExperimentConfig read() {
        try (InputStream in = ExperimentConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** The stage's override in {@link #ENV_VAR} if set, else the shipped file. */
    public static ExperimentConfig fromEnv(Map<String, String> env) {
        String raw = env.get(ENV_VAR);
        return raw == null || raw.isBlank() ? shipped() : parse(raw);
    }

    public Optional<Experiment> find(String id) {
        return experiments.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /**
     * Reads and validates a configuration.
     *
     * @throws InvalidExperiments naming every problem found
     */
    public static ExperimentConfig parse(String json) {
        JsonNode root;
        try {
            root = Json.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidExperiments(List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject() || !root.path("experiments").isArray() || root.size() != 1) {
            throw new InvalidExperiments(List.of("expected {\"experiments\": [...]}"));
        }
        List<Experiment> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode node : root.path("experiments")) {
            String where = "experiments[" + index++ + "]";
            if (!node.isObject()) {
                problems.add(where + " is not an object");
                continue;
            }
            String id = text(node, "id");
            if (id == null || !ID.matcher(id).matches()) {
                problems.add(where + ".id must be lower-case letters, digits and '-' (at most 63), got " + id);
            } else {
                where = "experiment '" + id + "'";
                if (!ids.add(id)) {
                    problems.add(where + " is declared twice");
                }
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!EXPERIMENT_FIELDS.contains(name)) {
                    problems.add(where + " has an unknown field '" + name + "'");
                }
            }
            String surface = text(node, "surface");
            if (!Experiment.FEED.equals(surface)) {
                problems.add(where + ".surface must be \"" + Experiment.FEED + "\", got " + surface);
            }
            List<Variant> variants = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            if (!node.path("variants").isArray() || node.path("variants").size() < 2) {
                problems.add(where + ".variants must list at least two variants");
            } else {
                for (JsonNode v : node.path("variants")) {
                    String name = text(v, "name");
                    JsonNode weight = v.path("weight");
                    if (name == null || !ID.matcher(name).matches()) {
                        problems.add(where + " has a variant without a valid name (lower-case letters, digits, '-')");
                        continue;
                    }
                    if (!names.add(name)) {
                        problems.add(where + " declares variant '" + name + "' twice");
                    }
                    if (!weight.isInt() || weight.intValue() < 1 || weight.intValue() > Assignment.BUCKETS) {
                        problems.add(where + " variant '" + name + "' needs a whole positive weight (at most 10000), got " + weight);
                        continue;
                    }
                    variants.add(new Variant(name, weight.intValue()));
                }
            }
            String control = text(node, "control");
            if (control == null || !names.contains(control)) {
                problems.add(where + ".control must name one of its variants " + names + ", got " + control);
            }
            List<String> metrics = new ArrayList<>();
            if (!node.path("metrics").isArray() || node.path("metrics").isEmpty()) {
                problems.add(where + ".metrics must list at least one of " + Experiment.METRICS);
            } else {
                for (JsonNode m : node.path("metrics")) {
                    if (!m.isTextual() || !Experiment.METRICS.contains(m.asText())) {
                        problems.add(where + " has an unknown metric " + m + " (known: " + Experiment.METRICS + ")");
                    } else if (metrics.contains(m.asText())) {
                        problems.add(where + " lists metric " + m + " twice");
                    } else {
                        metrics.add(m.asText());
                    }
                }
            }
            Instant start = instant(node, "start", where, problems);
            Instant end = instant(node, "end", where, problems);
            if (start != null && end != null && !end.isAfter(start)) {
                problems.add(where + ".end must be after its start");
            }
            int allocation = 100;
            if (node.has("allocation")) {
                JsonNode a = node.path("allocation");
                if (!a.isInt() || a.intValue() < 1 || a.intValue() > 100) {
                    problems.add(where + ".allocation must be a whole percentage from 1 to 100, got " + a);
                } else {
                    allocation = a.intValue();
                }
            }
            Double lift = null;
            if (node.has("minimumDetectableLift")) {
                JsonNode m = node.path("minimumDetectableLift");
                // at most 1 (100 %): a value such as 10 is a percentage written where a fraction belongs
                if (!m.isNumber() || !(m.doubleValue() > 0) || m.doubleValue() > 1) {
                    problems.add(where + ".minimumDetectableLift must be a relative lift above 0 and at most 1"
                            + " (0.1 = 10 %), got " + m);
                } else {
                    lift = m.doubleValue();
                }
            }
            boolean stopped = false;
            if (node.has("status")) {
                String status = text(node, "status");
                if (!Experiment.RUNNING.equals(status) && !Experiment.STOPPED.equals(status)) {
                    problems.add(where + ".status must be \"" + Experiment.RUNNING + "\" or \"" + Experiment.STOPPED
                            + "\", got " + node.path("status"));
                } else {
                    stopped = Experiment.STOPPED.equals(status);
                }
            }
            List<String> guardrails = new ArrayList<>();
            if (node.has("guardrails")) {
                if (!node.path("guardrails").isArray()) {
                    problems.add(where + ".guardrails must be a list of " + Experiment.GUARDRAILS + ", got "
                            + node.path("guardrails"));
                } else {
                    for (JsonNode g : node.path("guardrails")) {
                        if (!g.isTextual() || !Experiment.GUARDRAILS.contains(g.asText())) {
                            problems.add(where + " has an unknown guardrail " + g + " (known: " + Experiment.GUARDRAILS + ")");
                        } else if (guardrails.contains(g.asText())) {
                            problems.add(where + " lists guardrail " + g + " twice");
                        } else {
                            guardrails.add(g.asText());
                        }
                    }
                }
            }
            String description = node.has("description") ? text(node, "description") : "";
            if (description == null) {
                problems.add(where + ".description must be text");
            }
            out.add(new Experiment(id, description, surface, variants, control, metrics, start, end, allocation, lift,
                    stopped, guardrails));
        }
        if (!problems.isEmpty()) {
            throw new InvalidExperiments(problems);
        }
        return new ExperimentConfig(out);
    }

    /**
     * The rules of {@link #parse} that a JSON Schema (draft-04, what AppConfig's validators take) can
     * express: the shape, the fields and their types, patterns and ranges. What it cannot (unique ids
     * and variant names, the control among the variants, end after start) {@link #parse} still checks
     * where the definitions are read, and definitions it refuses are never served.
     */
    public static String jsonSchema() {
        ObjectNode name = Json.object().put("type", "string").put("pattern", "^" + ID.pattern() + "$");
        ObjectNode variant = Json.object().put("type", "object").put("additionalProperties", false);
        variant.putArray("required").add("name").add("weight");
        variant.putObject("properties").<ObjectNode>set("name", name.deepCopy())
                .set("weight", Json.object().put("type", "integer").put("minimum", 1).put("maximum", Assignment.BUCKETS));
        ObjectNode instant = Json.object().put("type", "string").put("format", "date-time");
        ObjectNode experiment = Json.object().put("type", "object").put("additionalProperties", false);
        ArrayNode required = experiment.putArray("required");
        List.of("id", "surface", "variants", "control", "metrics", "start", "end").forEach(required::add);
        ObjectNode properties = experiment.putObject("properties");
        properties.set("id", name.deepCopy());
        properties.set("description", Json.object().put("type", "string"));
        ObjectNode surface = Json.object().put("type", "string");
        surface.putArray("enum").add(Experiment.FEED);
        properties.set("surface", surface);
        ObjectNode variants = Json.object().put("type", "array").put("minItems", 2);
        variants.set("items", variant);
        properties.set("variants", variants);
        properties.set("control", name.deepCopy());
        ObjectNode metric = Json.object().put("type", "string");
        Experiment.METRICS.forEach(metric.putArray("enum")::add);
        properties.set("metrics", Json.object().put("type", "array").put("minItems", 1).put("uniqueItems", true)
                .set("items", metric));
        properties.set("start", instant.deepCopy());
        properties.set("end", instant.deepCopy());
        properties.set("allocation", Json.object().put("type", "integer").put("minimum", 1).put("maximum", 100));
        properties.set("minimumDetectableLift", Json.object().put("type", "number").put("minimum", 0)
                .put("exclusiveMinimum", true).put("maximum", 1));
        ObjectNode guardrail = Json.object().put("type", "string");
        Experiment.GUARDRAILS.forEach(guardrail.putArray("enum")::add);
        properties.set("guardrails", Json.object().put("type", "array").put("uniqueItems", true).set("items", guardrail));
        ObjectNode status = Json.object().put("type", "string");
        status.putArray("enum").add(Experiment.RUNNING).add(Experiment.STOPPED);
        properties.set("status", status);
        ObjectNode root = Json.object().put("$schema", "http://json-schema.org/draft-04/schema#")
                .put("type", "object").put("additionalProperties", false);
        root.putArray("required").add("experiments");
        root.putObject("properties").set("experiments", Json.object().put("type", "array").set("items", experiment));
        return Json.write(root);
    }

    /** The configuration as {@link #parse} reads it (what {@link #ENV_VAR} carries). */
    public String toJson() {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("experiments");
        for (Experiment e : experiments) {
            list.add(toNode(e));
        }
        return Json.write(root);
    }

    /** One experiment as the configuration declares it. */
    public static ObjectNode toNode(Experiment e) {
        ObjectNode node = Json.object();
        node.put("id", e.id());
        node.put("description", e.description());
        node.put("surface", e.surface());
        ArrayNode variants = node.putArray("variants");
        e.variants().forEach(v -> variants.addObject().put("name", v.name()).put("weight", v.weight()));
        node.put("control", e.control());
        ArrayNode metrics = node.putArray("metrics");
        e.metrics().forEach(metrics::add);
        node.put("start", e.start().toString());
        node.put("end", e.end().toString());
        node.put("allocation", e.allocation());
        if (e.minimumDetectableLift() != null) {
            node.put("minimumDetectableLift", e.minimumDetectableLift());
        }
        if (!e.guardrails().isEmpty()) {
            ArrayNode guardrails = node.putArray("guardrails");
            e.guardrails().forEach(guardrails::add);
        }
        if (e.stopped()) {
            node.put("status", Experiment.STOPPED);
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static Instant instant(JsonNode node, String field, String where, List<String> problems) {
        String raw = text(node, field);
        try {
            if (raw != null) {
                return Instant.parse(raw);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(where + "." + field + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, got " + raw);
        return null;
    }

    /** The configuration is not usable; the message names every problem. */
    public static final class InvalidExperiments extends RuntimeException {
        private final List<String> problems;

        public InvalidExperiments(List<String> problems) {
            super("invalid experiments configuration: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
