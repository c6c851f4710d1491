package dev.glint.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One authorization question: may the role do {@code action} on {@code resource}? {@code context}
 * holds the condition keys this request carries (e.g. {@code s3:prefix}); {@code knownKeys} the keys
 * the local stack can tell for this action, present or not. A condition on any other key cannot be
 * evaluated locally.
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> context, List<String> knownKeys) {

    public static AccessRequest of(String action, String resource) {
        return new AccessRequest(action, resource, Map.of(), List.of());
    }
}
