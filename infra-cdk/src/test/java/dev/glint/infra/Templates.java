package dev.glint.infra;

import dev.glint.shared.resources.GlintResources.FunctionSpec;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lookups in a synthesized template that several tests share. */
final class Templates {

    private Templates() {
    }

    /** The logical id of the one resource of {@code type} whose properties match. */
    static String logicalId(Template template, String type, Map<String, ?> properties) {
        Map<String, Map<String, Object>> found = template.findResources(type, Map.of("Properties", Match.objectLike(properties)));
        if (found.isEmpty()) {
            // Fails with CDK's explanation of the closest resource and where it differs.
            template.hasResourceProperties(type, properties);
        }
        assertEquals(1, found.size(), "expected exactly one " + type + " with " + properties + ", found " + found.keySet());
        return found.keySet().iterator().next();
    }

    /** The function that runs {@code spec}'s handler. */
    static String functionId(Template template, FunctionSpec spec) {
        return logicalId(template, "AWS::Lambda::Function", Map.of("Handler", spec.handlerClass() + "::handleRequest"));
    }

    /** The version the function publishes in this deploy. */
    static String versionId(Template template, FunctionSpec spec) {
        return logicalId(template, "AWS::Lambda::Version", Map.of("FunctionName", Map.of("Ref", functionId(template, spec))));
    }

    /** The function's alias with the given name. */
    static String aliasId(Template template, FunctionSpec spec, String alias) {
        return logicalId(template, "AWS::Lambda::Alias", Map.of(
                "FunctionName", Map.of("Ref", functionId(template, spec)), "Name", alias));
    }

    /** Every IAM statement that applies to the function: those of the policies attached to its role. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Template template, FunctionSpec spec) {
        Map<String, Object> function = resource(template, functionId(template, spec));
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) function.get("Properties")).get("Role");
        String roleId = ((List<String>) role.get("Fn::GetAtt")).get(0);
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "Roles", Match.arrayWith(List.of(Map.of("Ref", roleId))))))).values().forEach(policy -> {
            Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
            statements.addAll((List<Map<String, Object>>) document.get("Statement"));
        });
        return statements;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resource(Template template, String logicalId) {
        return (Map<String, Object>) ((Map<String, Object>) template.toJSON().get("Resources")).get(logicalId);
    }

    /** A statement's actions or resources as a list, whether the template holds one or several. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> values ? (List<Object>) values : List.of(value);
    }
}
