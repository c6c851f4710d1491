package dev.glint.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Matches a method and path against route patterns such as {@code /v1/posts/{id}}. A path
 * parameter matches one non-empty segment. Every {@code GET} route answers {@code HEAD}. Unknown
 * paths are 404, known paths with another method are 405 with the allowed methods.
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    /** A route; a {@code GET} route answers {@code HEAD} too (the handler sends its status and headers only). */
    public Router add(String method, String pattern, Function<HttpRequest, HttpResponse> action) {
        routes.add(new Route(method, pattern, segments(pattern), action));
        if (method.equals("GET")) {
            routes.add(new Route("HEAD", pattern, segments(pattern), action));
        }
        return this;
    }

    /** Every route, as {@code "METHOD /pattern"}, in the order they were added. */
    public List<String> routeKeys() {
        return routes.stream().map(r -> r.method() + " " + r.pattern()).toList();
    }

    public HttpResponse dispatch(HttpRequest request) {
        List<String> path = segments(request.path());
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(request.method())) {
                return route.action().apply(request.withPathParams(params));
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw new ApiException(404, "route_not_found",
                    "There is no route " + request.method() + " " + request.path() + "; see /openapi.yaml for the API.");
        }
        throw new MethodNotAllowed(request.method(), request.path(), String.join(", ", allowed));
    }

    private static Map<String, String> match(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                String decoded = decode(actual);
                if (decoded == null) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), decoded);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return params;
    }

    /** Strict percent-decoding of one path segment; null if it is malformed. */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '%') {
                    out.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    out.write(c);
                }
            }
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (RuntimeException | java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return List.of(trimmed.split("/", -1));
    }

    private record Route(String method, String pattern, List<String> segments, Function<HttpRequest, HttpResponse> action) {
    }

    /** 405, with the methods the path does accept. */
    static final class MethodNotAllowed extends ApiException {
        private final String allow;

        MethodNotAllowed(String method, String path, String allow) {
            super(405, "method_not_allowed", path + " does not accept " + method + "; it accepts " + allow + ".");
            this.allow = allow;
        }

        String allow() {
            return allow;
        }
    }
}
