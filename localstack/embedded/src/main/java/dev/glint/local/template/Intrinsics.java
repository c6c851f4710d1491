package dev.glint.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation's intrinsic functions in a template value to the local stack's names, URLs
 * and ARNs: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub} (string and list form), {@code Fn::Join},
 * {@code Fn::Select}, {@code Fn::Split}, the pseudo parameters ({@code AWS::Region}, {@code AWS::AccountId},
 * {@code AWS::Partition}, {@code AWS::URLSuffix}, {@code AWS::StackName}, {@code AWS::NoValue}) and
 * Secrets Manager dynamic references ({@code {{resolve:secretsmanager:...}}}). What has no local value
 * ({@code Fn::ImportValue}, a condition, a resource the local stack does not make) throws
 * {@link Unresolvable} naming the logical id and the property path.
 */
public final class Intrinsics {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]*)}");
    private static final Pattern DYNAMIC_SECRET = Pattern.compile("\\{\\{resolve:secretsmanager:([^}]+?)(?::SecretString(:[^:}]*)?(:[^:}]*)?(:[^:}]*)?)?}}");

    /** The local values behind logical ids. Empty means: no local value. */
    public interface Values {
        /** What {@code Ref} returns for the resource. */
        Optional<String> ref(String logicalId);

        /** What {@code Fn::GetAtt} returns for the resource's attribute. */
        Optional<String> attribute(String logicalId, String attribute);

        /** The value of a secret, by the name or ARN a dynamic reference gives. */
        Optional<String> secret(String secretId);

        /**
         * A finished string value as the local stack reads it: a URL a template builds of pieces (a
         * {@code Fn::Join} of {@code https://}, an API's id and {@code .execute-api.}) for something
         * the local stack serves becomes the local URL. The value itself by default.
         */
        default String local(String value) {
            return value;
        }
    }

    /** A value that has no local meaning: the start stops with it. */
    public static final class Unresolvable extends RuntimeException {
        private final String logicalId;
        private final String path;

        public Unresolvable(String logicalId, String path, String reason) {
            super("cannot resolve " + logicalId + "." + path + ": " + reason);
            this.logicalId = logicalId;
            this.path = path;
        }

        public String logicalId() {
            return logicalId;
        }

        public String path() {
            return path;
        }
    }

    private final Values values;
    private final String region;
    private final String account;
    private final String stackName;

    public Intrinsics(Values values, String region, String account, String stackName) {
        this.values = values;
        this.region = region;
        this.account = account;
        this.stackName = stackName;
    }

    /** A resource property resolved, e.g. {@code resolve(r, "Environment")}; a missing property stays missing. */
    public JsonNode property(CfnTemplate.Resource resource, String name) {
        JsonNode raw = resource.property(name);
        if (raw.isMissingNode()) {
            return raw;
        }
        return resolve(raw, resource.logicalId(), "Properties." + name);
    }

    /** A property that must resolve to a string. */
    public String string(CfnTemplate.Resource resource, String name) {
        JsonNode value = property(resource, name);
        if (!value.isValueNode() || value.isNull()) {
            throw new Unresolvable(resource.logicalId(), "Properties." + name, "expected a string, found " + value);
        }
        return value.asText();
    }

    /** Resolves any template value found at {@code path} of the resource {@code logicalId}. */
    public JsonNode resolve(JsonNode value, String logicalId, String path) {
        JsonNode out = resolveOrNoValue(value, logicalId, path);
        return out == null ? NODES.missingNode() : withSecrets(out, logicalId, path);
    }

    /** Dynamic references are resolved in the finished values (a Fn::Join often builds them). */
    private JsonNode withSecrets(JsonNode value, String logicalId, String path) {
        if (value.isTextual()) {
            return NODES.textNode(values.local(dynamicReferences(value.asText(), logicalId, path)));
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                out.add(withSecrets(value.get(i), logicalId, path + "[" + i + "]"));
            }
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = NODES.objectNode();
            value.fields().forEachRemaining(f -> out.set(f.getKey(), withSecrets(f.getValue(), logicalId, path + "." + f.getKey())));
            return out;
        }
        return value;
    }

    private JsonNode inner(JsonNode value, String logicalId, String path) {
        JsonNode out = resolveOrNoValue(value, logicalId, path);
        return out == null ? NODES.missingNode() : out;
    }

    /** Null for {@code AWS::NoValue}. */
    private JsonNode resolveOrNoValue(JsonNode value, String logicalId, String path) {
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = resolveOrNoValue(value.get(i), logicalId, path + "[" + i + "]");
                if (item != null) {
                    out.add(item);
                }
            }
            return out;
        }
        if (!value.isObject()) {
            return value;
        }
        if (value.size() == 1) {
            String key = value.fieldNames().next();
            JsonNode argument = value.get(key);
            String at = path + "." + key;
            switch (key) {
                case "Ref":
                    return ref(argument.asText(), logicalId, at);
                case "Fn::GetAtt":
                    return getAtt(argument, logicalId, at);
                case "Fn::Sub":
                    return NODES.textNode(sub(argument, logicalId, at));
                case "Fn::Join":
                    return join(argument, logicalId, at);
                case "Fn::Select":
                    return select(argument, logicalId, at);
                case "Fn::Split":
                    return split(argument, logicalId, at);
                default:
                    if (key.startsWith("Fn::") || key.equals("Condition")) {
                        throw new Unresolvable(logicalId, at, key + " is not supported locally");
                    }
            }
        }
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            var field = it.next();
            JsonNode item = resolveOrNoValue(field.getValue(), logicalId, path + "." + field.getKey());
            if (item != null) {
                out.set(field.getKey(), item);
            }
        }
        return out;
    }

    private JsonNode ref(String target, String logicalId, String path) {
        if (target.equals("AWS::NoValue")) {
            return null;
        }
        Optional<String> pseudo = pseudo(target);
        if (pseudo.isPresent()) {
            return NODES.textNode(pseudo.get());
        }
        if (target.startsWith("AWS::")) {
            throw new Unresolvable(logicalId, path, "the pseudo parameter " + target + " has no local value");
        }
        return NODES.textNode(values.ref(target).orElseThrow(() ->
                new Unresolvable(logicalId, path, "Ref " + target + " names nothing the local stack makes")));
    }

    private Optional<String> pseudo(String name) {
        return Optional.ofNullable(switch (name) {
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> account;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> stackName;
            case "AWS::StackId" -> "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + stackName + "/local";
            default -> null;
        });
    }

    private JsonNode getAtt(JsonNode argument, String logicalId, String path) {
        String target;
        String attribute;
        if (argument.isTextual() && argument.asText().contains(".")) {
            String raw = argument.asText();
            target = raw.substring(0, raw.indexOf('.'));
            attribute = raw.substring(raw.indexOf('.') + 1);
        } else if (argument.isArray() && argument.size() == 2) {
            target = argument.get(0).asText();
            JsonNode name = inner(argument.get(1), logicalId, path + "[1]");
            attribute = name.asText();
        } else {
            throw new Unresolvable(logicalId, path, "Fn::GetAtt takes [logicalId, attribute], not " + argument);
        }
        return NODES.textNode(attribute(target, attribute, logicalId, path));
    }

    private String attribute(String target, String attribute, String logicalId, String path) {
        return values.attribute(target, attribute).orElseThrow(() ->
                new Unresolvable(logicalId, path, "Fn::GetAtt " + target + "." + attribute + " has no local value"));
    }

    private String sub(JsonNode argument, String logicalId, String path) {
        String pattern;
        JsonNode variables = NODES.objectNode();
        if (argument.isTextual()) {
            pattern = argument.asText();
        } else if (argument.isArray() && argument.size() == 2 && argument.get(0).isTextual() && argument.get(1).isObject()) {
            pattern = argument.get(0).asText();
            variables = argument.get(1);
        } else {
            throw new Unresolvable(logicalId, path, "Fn::Sub takes a string or [string, {variables}], not " + argument);
        }
        Matcher m = SUB_VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            String name = m.group(2).trim();
            if (!m.group(1).isEmpty()) {
                replacement = "${" + m.group(2) + "}"; // ${!Literal} writes ${Literal}
            } else if (variables.has(name)) {
                replacement = scalar(resolve(variables.get(name), logicalId, path + "[1]." + name), logicalId, path + "[1]." + name);
            } else if (name.contains(".")) {
                replacement = attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1), logicalId, path);
            } else {
                replacement = scalar(ref(name, logicalId, path), logicalId, path);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private JsonNode join(JsonNode argument, String logicalId, String path) {
        if (!argument.isArray() || argument.size() != 2) {
            throw new Unresolvable(logicalId, path, "Fn::Join takes [delimiter, [values]], not " + argument);
        }
        String delimiter = argument.get(0).asText();
        JsonNode items = inner(argument.get(1), logicalId, path + "[1]");
        if (!items.isArray()) {
            throw new Unresolvable(logicalId, path, "Fn::Join's values are not a list: " + items);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            out.append(scalar(items.get(i), logicalId, path + "[1][" + i + "]"));
        }
        return NODES.textNode(out.toString());
    }

    private JsonNode select(JsonNode argument, String logicalId, String path) {
        if (!argument.isArray() || argument.size() != 2) {
            throw new Unresolvable(logicalId, path, "Fn::Select takes [index, [values]], not " + argument);
        }
        JsonNode index = inner(argument.get(0), logicalId, path + "[0]");
        JsonNode items = inner(argument.get(1), logicalId, path + "[1]");
        int i;
        try {
            i = Integer.parseInt(index.asText());
        } catch (NumberFormatException e) {
            throw new Unresolvable(logicalId, path, "Fn::Select's index is not a number: " + index);
        }
        if (!items.isArray() || i < 0 || i >= items.size()) {
            throw new Unresolvable(logicalId, path, "Fn::Select's index " + i + " is outside " + items);
        }
        return items.get(i);
    }

    private JsonNode split(JsonNode argument, String logicalId, String path) {
        if (!argument.isArray() || argument.size() != 2) {
            throw new Unresolvable(logicalId, path, "Fn::Split takes [delimiter, string], not " + argument);
        }
        String delimiter = argument.get(0).asText();
        String source = scalar(resolve(argument.get(1), logicalId, path + "[1]"), logicalId, path + "[1]");
        ArrayNode out = NODES.arrayNode();
        int from = 0;
        while (true) {
            int at = delimiter.isEmpty() ? -1 : source.indexOf(delimiter, from);
            if (at < 0) {
                out.add(source.substring(from));
                return out;
            }
            out.add(source.substring(from, at));
            from = at + delimiter.length();
        }
    }

    private static String scalar(JsonNode value, String logicalId, String path) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new Unresolvable(logicalId, path, "expected a string, found " + value);
        }
        return value.asText();
    }

    /** Replaces {@code {{resolve:secretsmanager:ID:SecretString:::}}} with the local secret's value. */
    private String dynamicReferences(String text, String logicalId, String path) {
        if (!text.contains("{{resolve:")) {
            return text;
        }
        Matcher m = DYNAMIC_SECRET.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String jsonKey = m.group(2) == null ? "" : m.group(2).substring(1);
            if (!jsonKey.isEmpty()) {
                throw new Unresolvable(logicalId, path, "a dynamic reference to a secret's JSON key is not supported locally: " + m.group());
            }
            String id = m.group(1);
            String secret = values.secret(id).orElseThrow(() ->
                    new Unresolvable(logicalId, path, "the secret " + id + " is not one the local stack makes"));
            m.appendReplacement(out, Matcher.quoteReplacement(secret));
        }
        m.appendTail(out);
        if (out.indexOf("{{resolve:") >= 0) {
            throw new Unresolvable(logicalId, path, "a dynamic reference other than a Secrets Manager secret string: " + out);
        }
        return out.toString();
    }

    static TextNode text(String value) {
        return NODES.textNode(value);
    }
}
