package dev.glint.local.iam;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IAM's evaluation of identity-based policies for one role, as the IAM guide's policy evaluation
 * logic describes it for a request within one account with no resource policy, boundary, session
 * policy or SCP: an explicit {@code Deny} that matches wins; otherwise an {@code Allow} that matches
 * allows; otherwise the request is implicitly denied. A statement matches when its action, resource
 * and every condition match. Conditions: the operators {@code String(Not)Equals(IgnoreCase)},
 * {@code String(Not)Like}, {@code Arn(Not)Equals}, {@code Arn(Not)Like}, {@code Bool}, {@code Null},
 * with {@code IfExists} and the {@code ForAnyValue:}/{@code ForAllValues:} set operators. A condition
 * the local stack cannot evaluate (an unknown operator, a key it cannot tell) never allows: an
 * {@code Allow} with one does not match, a {@code Deny} with one does, and the decision says why.
 */
public final class PolicyEvaluator {

    /** The outcome, with the statement that decided it (if any) and why. */
    public record Decision(boolean allowed, Optional<Statement> statement, String reason) {
    }

    private final List<Statement> statements;

    public PolicyEvaluator(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    public List<Statement> statements() {
        return statements;
    }

    public Decision evaluate(AccessRequest request) {
        List<String> unsupported = new ArrayList<>();
        Statement allowing = null;
        for (Statement statement : statements) {
            if (!statement.matchesAction(request.action()) || !statement.matchesResource(request.resource())) {
                continue;
            }
            Match match = conditions(statement.condition(), request);
            if (match == Match.UNSUPPORTED) {
                unsupported.add(statement.source() + " (" + unsupportedReason(statement.condition(), request) + ")");
            }
            if (!statement.allow() && match != Match.NO) {
                return new Decision(false, Optional.of(statement), match == Match.UNSUPPORTED
                        ? "an explicit deny whose condition cannot be evaluated locally, so it applies: " + statement.source()
                        : "explicitly denied by " + statement.source());
            }
            if (statement.allow() && match == Match.YES && allowing == null) {
                allowing = statement;
            }
        }
        if (allowing != null) {
            return new Decision(true, Optional.of(allowing), "allowed by " + allowing.source());
        }
        if (!unsupported.isEmpty()) {
            return new Decision(false, Optional.empty(), "no statement allows it; conditions that cannot be evaluated locally: "
                    + String.join(", ", unsupported));
        }
        return new Decision(false, Optional.empty(), "no identity-based policy allows it");
    }

    private enum Match { YES, NO, UNSUPPORTED }

    private static Match conditions(JsonNode block, AccessRequest request) {
        if (block == null || block.isMissingNode() || block.isNull() || block.isEmpty()) {
            return Match.YES;
        }
        boolean unsupported = false;
        for (Iterator<Map.Entry<String, JsonNode>> ops = block.fields(); ops.hasNext(); ) {
            var op = ops.next();
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                var key = keys.next();
                Match m = condition(op.getKey(), key.getKey(), values(key.getValue()), request);
                if (m == Match.NO) {
                    return Match.NO;
                }
                unsupported |= m == Match.UNSUPPORTED;
            }
        }
        return unsupported ? Match.UNSUPPORTED : Match.YES;
    }

    private static String unsupportedReason(JsonNode block, AccessRequest request) {
        List<String> out = new ArrayList<>();
        block.fields().forEachRemaining(op -> op.getValue().fieldNames().forEachRemaining(key -> {
            if (condition(op.getKey(), key, values(op.getValue().get(key)), request) == Match.UNSUPPORTED) {
                out.add(op.getKey() + " on " + key);
            }
        }));
        return String.join(", ", out);
    }

    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static Match condition(String rawOperator, String rawKey, List<String> expected, AccessRequest request) {
        String key = rawKey.toLowerCase(Locale.ROOT);
        String operator = rawOperator;
        String set = "";
        if (operator.startsWith("ForAnyValue:") || operator.startsWith("ForAllValues:")) {
            set = operator.substring(0, operator.indexOf(':'));
            operator = operator.substring(operator.indexOf(':') + 1);
        }
        boolean ifExists = operator.endsWith("IfExists");
        if (ifExists) {
            operator = operator.substring(0, operator.length() - "IfExists".length());
        }
        boolean known = request.knownKeys().stream().anyMatch(k -> k.equalsIgnoreCase(key));
        if (!known) {
            return Match.UNSUPPORTED;
        }
        List<String> actual = request.context().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key))
                .findFirst().map(Map.Entry::getValue).orElse(null);
        if (operator.equals("Null")) {
            boolean wantNull = expected.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            return (actual == null) == wantNull ? Match.YES : Match.NO;
        }
        if (actual == null || actual.isEmpty()) {
            if (set.equals("ForAllValues")) {
                return Match.YES; // vacuously true, as IAM documents
            }
            return ifExists ? Match.YES : Match.NO;
        }
        Optional<ValueTest> test = test(operator);
        if (test.isEmpty()) {
            return Match.UNSUPPORTED;
        }
        boolean negated = operator.contains("Not");
        if (set.equals("ForAllValues")) {
            return actual.stream().allMatch(a -> anyOf(test.get(), expected, a, negated)) ? Match.YES : Match.NO;
        }
        return actual.stream().anyMatch(a -> anyOf(test.get(), expected, a, negated)) ? Match.YES : Match.NO;
    }

    /** A positive operator matches if any expected value matches; a negated one if none does. */
    private static boolean anyOf(ValueTest test, List<String> expected, String actual, boolean negated) {
        boolean any = expected.stream().anyMatch(e -> test.matches(e, actual));
        return negated != any;
    }

    private interface ValueTest {
        boolean matches(String expected, String actual);
    }

    private static Optional<ValueTest> test(String operator) {
        return Optional.ofNullable(switch (operator) {
            case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals" -> String::equals;
            case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> String::equalsIgnoreCase;
            case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike" -> (e, a) -> Wildcards.matches(e, a, false);
            case "Bool" -> String::equalsIgnoreCase;
            default -> null;
        });
    }
}
