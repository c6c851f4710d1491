package dev.glint.api;

import java.util.Map;

/**
 * An HTTP request as the routes see it, decoded from the API Gateway event.
 *
 * @param headers    lower-case names
 * @param pathParams filled by the router from the matched pattern
 * @param claims     the JWT claims the authorizer verified; empty on public routes
 * @param requestId  API Gateway's request id, also returned in {@code x-request-id}
 */
public record HttpRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
                          Map<String, String> headers, byte[] body, Map<String, String> claims, String requestId) {

    HttpRequest withPathParams(Map<String, String> params) {
        return new HttpRequest(method, path, Map.copyOf(params), query, headers, body, claims, requestId);
    }
}
