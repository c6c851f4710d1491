package dev.glint.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every IAM role of a template as reviewable text: per role (logical id without CDK's hash), its
 * managed policies and one line per statement, {@code Allow <sorted actions> on <resource> [if
 * <condition>]}, with references written as {@code Name.Attribute} or {@code Ref(Name)}. Hashes of
 * logical ids are dropped so that the text changes when a grant does, not when a construct moves.
 */
final class IamSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IamSnapshot() {
    }

    @SuppressWarnings("unchecked")
    static String render(Template template) {
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, TreeSet<String>> roles = new TreeMap<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            if ("AWS::IAM::Role".equals(resource.get("Type"))) {
                TreeSet<String> lines = roles.computeIfAbsent(name(id), k -> new TreeSet<>());
                lines.add("  trusts " + value(((Map<String, Object>) properties.get("AssumeRolePolicyDocument")).get("Statement")));
                for (Object arn : (List<Object>) properties.getOrDefault("ManagedPolicyArns", List.of())) {
                    lines.add("  managed " + value(arn));
                }
                for (Map<String, Object> policy : (List<Map<String, Object>>) properties.getOrDefault("Policies", List.of())) {
                    statements((Map<String, Object>) policy.get("PolicyDocument"), lines);
                }
            }
        });
        resources.forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            if ("AWS::IAM::Policy".equals(resource.get("Type"))) {
                Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
                for (Object role : (List<Object>) properties.getOrDefault("Roles", List.of())) {
                    String roleName = value(role).replaceAll("^Ref\\((.*)\\)$", "$1");
                    statements((Map<String, Object>) properties.get("PolicyDocument"),
                            roles.computeIfAbsent(roleName, k -> new TreeSet<>()));
                }
            }
        });
        StringBuilder out = new StringBuilder();
        roles.forEach((role, lines) -> {
            out.append("role ").append(role).append('\n');
            lines.forEach(line -> out.append(line).append('\n'));
        });
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void statements(Map<String, Object> document, TreeSet<String> lines) {
        for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
            String actions = Templates.list(statement.get("Action")).stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(","));
            String condition = statement.containsKey("Condition") ? " if " + value(statement.get("Condition")) : "";
            for (Object resource : Templates.list(statement.get("Resource"))) {
                lines.add("  " + statement.get("Effect") + " " + actions + " on " + value(resource) + condition);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String value(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<String, Object> entry = ((Map<String, Object>) map).entrySet().iterator().next();
            switch (entry.getKey()) {
                case "Ref" -> {
                    String ref = entry.getValue().toString();
                    return ref.startsWith("AWS::") ? "${" + ref + "}" : "Ref(" + name(ref) + ")";
                }
                case "Fn::GetAtt" -> {
                    List<Object> att = (List<Object>) entry.getValue();
                    return name(att.get(0).toString()) + "." + att.get(1);
                }
                case "Fn::Join" -> {
                    List<Object> join = (List<Object>) entry.getValue();
                    List<String> parts = new ArrayList<>();
                    for (Object part : (List<Object>) join.get(1)) {
                        parts.add(value(part));
                    }
                    return String.join(join.get(0).toString(), parts);
                }
                default -> {
                }
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> sorted.put(k, value(v)));
            return sorted.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(IamSnapshot::value).sorted().collect(Collectors.joining(",", "[", "]"));
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    /** A logical id without the 8-character hash CDK appends. */
    private static String name(String logicalId) {
        return logicalId.replaceAll("[0-9A-F]{8}$", "");
    }
}
