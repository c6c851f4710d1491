package dev.glint.local.iam;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of an identity-based policy, resolved: effect, actions (or NotAction), resources (or
 * NotResource) and its Condition block as written.
 *
 * @param source where it comes from (policy logical id and statement index), for reports and logs
 */
public record Statement(String source, boolean allow, List<String> actions, boolean notAction,
                        List<String> resources, boolean notResource, JsonNode condition) {

    /** The statements of a resolved policy document. */
    public static List<Statement> of(String source, JsonNode document) {
        List<Statement> out = new ArrayList<>();
        JsonNode statements = document.path("Statement");
        if (statements.isObject()) {
            out.add(one(source + "#0", statements));
        } else {
            for (int i = 0; i < statements.size(); i++) {
                out.add(one(source + "#" + i, statements.get(i)));
            }
        }
        return out;
    }

    private static Statement one(String source, JsonNode statement) {
        String effect = statement.path("Effect").asText();
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException(source + ": Effect must be Allow or Deny, not '" + effect + "'");
        }
        boolean notAction = statement.has("NotAction");
        boolean notResource = statement.has("NotResource");
        return new Statement(source, effect.equals("Allow"), strings(statement.path(notAction ? "NotAction" : "Action")),
                notAction, strings(statement.path(notResource ? "NotResource" : "Resource")), notResource,
                statement.path("Condition"));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else {
            node.forEach(n -> out.add(n.asText()));
        }
        return List.copyOf(out);
    }

    boolean matchesAction(String action) {
        boolean any = actions.stream().anyMatch(pattern -> Wildcards.matches(pattern, action, true));
        return notAction != any;
    }

    boolean matchesResource(String resource) {
        boolean any = resources.stream().anyMatch(pattern -> Wildcards.matches(pattern, resource, false));
        return notResource != any;
    }
}
