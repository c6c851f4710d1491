package dev.glint.shared.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.glint.shared.json.Json;
import dev.glint.shared.social.SocialException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Experiments changed by product teams: each change is applied to the newest stored definitions,
 * the whole document validated with {@link ExperimentConfig}'s rules, written as a new version only
 * if no one else wrote since the version the caller saw ({@code If-Match}) and since the one read here
 * (the store's own conditional write), recorded in the change log, then deployed.
 */
public final class ExperimentAdmin {

    /** The fields a change may set. */
    public static final Set<String> CHANGEABLE = Set.of("variants", "allocation", "status", "guardrails");
    /** Changes listed per experiment at most. */
    public static final int MAX_CHANGES = 100;
    /** How long a new experiment runs when it names no {@code end}. */
    public static final java.time.Duration DEFAULT_LENGTH = java.time.Duration.ofDays(30);

    private final ExperimentDefinitions definitions;
    private final ExperimentChangeStore changes;
    private final ExperimentConfig fallback;
    private final Clock clock;

    /** @param fallback the definitions before any version is stored (the stage's file) */
    public ExperimentAdmin(ExperimentDefinitions definitions, ExperimentChangeStore changes, ExperimentConfig fallback,
                           Clock clock) {
        this.definitions = definitions;
        this.changes = changes;
        this.fallback = fallback;
        this.clock = clock;
    }

    /** The newest stored definitions and their version (0 before any is stored). */
    public record Current(int version, ExperimentConfig config) {
    }

    /** Who makes a change: the token's {@code sub}, and their handle when they have a profile. */
    public record Actor(String userId, String handle) {
    }

    /** A change written: the new version, the experiment as it now is, the change log's entry. */
    public record Written(int version, Experiment experiment, ExperimentChangeStore.Change change) {
    }

    /** The caller's {@code If-Match} names a version that is no longer the newest. */
    public static final class VersionMismatch extends RuntimeException {
        private final int current;

        VersionMismatch(int expected, int current) {
            super("The experiments changed since version " + expected + " (now " + current
                    + "): GET /v1/experiments, apply your change to what it shows and send it with If-Match: \""
                    + current + "\".");
            this.current = current;
        }

        public int current() {
            return current;
        }
    }

    public Current current() {
        Optional<ExperimentDefinitions.Version> latest = definitions.latest();
        if (latest.isEmpty()) {
            return new Current(0, fallback);
        }
        try {
            return new Current(latest.get().number(), ExperimentConfig.parse(latest.get().content()));
        } catch (ExperimentConfig.InvalidExperiments e) {
            throw SocialException.conflict("stored_experiments_invalid", "The stored experiments (version "
                    + latest.get().number() + ") are invalid and must be fixed in AppConfig first: "
                    + String.join("; ", e.problems()));
        }
    }

    /** Adds an experiment (its fields as {@link ExperimentConfig} reads them). */
    public Written create(JsonNode experiment, Actor actor, OptionalInt ifMatch) {
        if (experiment == null || !experiment.isObject()) {
            throw SocialException.invalid("invalid_experiment", "Send the experiment as a JSON object.");
        }
        Current current = current();
        check(ifMatch, current);
        String id = experiment.path("id").isTextual() ? experiment.path("id").asText() : null;
        if (id != null && current.config().find(id).isPresent()) {
            throw SocialException.conflict("experiment_exists", "An experiment '" + id
                    + "' exists; change it with PATCH /v1/experiments/" + id + " or choose another id.");
        }
        ObjectNode document = document(current.config());
        ((ArrayNode) document.path("experiments")).add(withDefaults((ObjectNode) experiment));
        ExperimentConfig next = validate(document);
        Experiment created = next.experiments().get(next.experiments().size() - 1);
        Map<String, ExperimentChangeStore.FieldChange> fields = new LinkedHashMap<>();
        ExperimentConfig.toNode(created).fields().forEachRemaining(f ->
                fields.put(f.getKey(), new ExperimentChangeStore.FieldChange(null, f.getValue())));
        return write(current, next, created, actor, "created", null, fields);
    }

    /**
     * A new experiment with what it leaves out filled in: the surface (the only one, {@code feed}), the
     * control (its first variant), the metrics (all of {@link Experiment#METRICS}), the start (now, to the
     * second) and the end ({@link #DEFAULT_LENGTH} after the start). Only absent fields are filled: a
     * field sent wrong is left for validation to name.
     */
    private ObjectNode withDefaults(ObjectNode experiment) {
        ObjectNode filled = experiment.deepCopy();
        if (!filled.has("surface")) {
            filled.put("surface", Experiment.FEED);
        }
        JsonNode first = filled.path("variants").path(0).path("name");
        if (!filled.has("control") && first.isTextual()) {
            filled.put("control", first.asText());
        }
        if (!filled.has("metrics")) {
            Experiment.METRICS.forEach(filled.putArray("metrics")::add);
        }
        if (!filled.has("start")) {
            filled.put("start", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        if (!filled.has("end") && filled.path("start").isTextual()) {
            try {
                filled.put("end", java.time.Instant.parse(filled.path("start").asText()).plus(DEFAULT_LENGTH).toString());
            } catch (java.time.format.DateTimeParseException e) {
                // the start is wrong: validation names it, and the end stays missing until it is right
            }
        }
        return filled;
    }

    /**
     * Changes an experiment's {@link #CHANGEABLE} fields; a change that changes nothing writes nothing.
     *
     * @param reason why, recorded with the change (null when not given)
     */
    public Written change(String id, JsonNode patch, Actor actor, OptionalInt ifMatch, String reason) {
        if (patch == null || !patch.isObject() || patch.isEmpty()) {
            throw SocialException.invalid("invalid_change", "Send at least one of " + CHANGEABLE + " as a JSON object.");
        }
        patch.fieldNames().forEachRemaining(name -> {
            if (!CHANGEABLE.contains(name)) {
                throw SocialException.invalid("invalid_change", "'" + name + "' cannot be changed; only " + CHANGEABLE
                        + " can (a new experiment for anything else).");
            }
        });
        Current current = current();
        Experiment before = current.config().find(id).orElseThrow(() -> SocialException.notFound(
                "experiment_not_found", "No experiment '" + id + "'; GET /v1/experiments lists them."));
        check(ifMatch, current);
        ObjectNode beforeNode = withStatus(ExperimentConfig.toNode(before), before);
        ObjectNode afterNode = beforeNode.deepCopy();
        patch.fields().forEachRemaining(f -> afterNode.set(f.getKey(), f.getValue().deepCopy()));
        ObjectNode document = Json.object();
        ArrayNode list = document.putArray("experiments");
        for (Experiment e : current.config().experiments()) {
            list.add(e.id().equals(id) ? afterNode : ExperimentConfig.toNode(e));
        }
        ExperimentConfig next = validate(document);
        Experiment after = next.find(id).orElseThrow();
        ObjectNode written = withStatus(ExperimentConfig.toNode(after), after);
        Map<String, ExperimentChangeStore.FieldChange> fields = new LinkedHashMap<>();
        for (String name : List.of("variants", "allocation", "status", "guardrails")) {
            JsonNode was = name.equals("guardrails") ? guardrails(beforeNode) : beforeNode.path(name);
            JsonNode is = name.equals("guardrails") ? guardrails(written) : written.path(name);
            if (patch.has(name) && !was.equals(is)) {
                fields.put(name, new ExperimentChangeStore.FieldChange(was, is));
            }
        }
        if (fields.isEmpty()) {
            return new Written(current.version(), before, null);
        }
        return write(current, next, after, actor, "changed", reason, fields);
    }

    /** The experiment's change log, newest first. */
    public List<ExperimentChangeStore.Change> changes(String id) {
        return changes.changes(id, MAX_CHANGES);
    }

    private Written write(Current current, ExperimentConfig next, Experiment experiment, Actor actor, String action,
                          String reason, Map<String, ExperimentChangeStore.FieldChange> fields) {
        String description = action + " " + experiment.id() + " by " + actor.userId()
                + (reason == null ? "" : ": " + reason);
        if (description.length() > 1024) {
            description = description.substring(0, 1024);
        }
        int version;
        try {
            version = definitions.create(next.toJson(), current.version(), description);
        } catch (ExperimentDefinitions.Conflict e) {
            throw SocialException.conflict("experiments_changed", "Someone else changed the experiments while this "
                    + "change was written; nothing was changed: GET /v1/experiments and apply your change again.");
        }
        var change = new ExperimentChangeStore.Change(experiment.id(), clock.instant(), version, actor.userId(),
                actor.handle(), action, reason, fields);
        // Recorded before the deployment starts: a change that is deployed is always in the log.
        changes.record(change);
        try {
            definitions.deploy(version, description);
        } catch (ExperimentDefinitions.Conflict e) {
            throw SocialException.conflict("deployment_in_progress", "Version " + version + " is stored and in the "
                    + "change log, but an earlier deployment is still rolling out, so it is not deployed yet; "
                    + "it goes out with the next change once that deployment is done.");
        }
        return new Written(version, experiment, change);
    }

    private static void check(OptionalInt ifMatch, Current current) {
        if (ifMatch.isPresent() && ifMatch.getAsInt() != current.version()) {
            throw new VersionMismatch(ifMatch.getAsInt(), current.version());
        }
    }

    private static ExperimentConfig validate(ObjectNode document) {
        try {
            return ExperimentConfig.parse(Json.write(document));
        } catch (ExperimentConfig.InvalidExperiments e) {
            throw SocialException.invalid("invalid_experiment", "The experiments would be invalid; fix: "
                    + String.join("; ", e.problems()));
        }
    }

    private static ObjectNode document(ExperimentConfig config) {
        ObjectNode document = Json.object();
        ArrayNode list = document.putArray("experiments");
        config.experiments().forEach(e -> list.add(ExperimentConfig.toNode(e)));
        return document;
    }

    /** The guardrails as a list, empty when none are declared. */
    private static JsonNode guardrails(ObjectNode node) {
        return node.has("guardrails") ? node.path("guardrails") : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    private static ObjectNode withStatus(ObjectNode node, Experiment experiment) {
        node.set("status", TextNode.valueOf(experiment.stopped() ? Experiment.STOPPED : Experiment.RUNNING));
        return node;
    }
}
