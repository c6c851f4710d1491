package dev.glint.api;

import dev.glint.shared.ids.Digests;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP caching of reads: an {@code ETag} with {@code Cache-Control: private, no-cache}, so a client
 * revalidates every time and a matching {@code If-None-Match} gets 304 with no body: no stale view,
 * less to send. Posts and profiles name their ETag by the versions of their items (the stream
 * processor bumps a version with every count it changes), so a 304 is answered before any body is
 * built or any media URL signed; other reads get a digest of their body.
 */
final class HttpCaching {

    static final String POLICY = "private, no-cache";

    private HttpCaching() {
    }

    /** The answer to a GET, made cacheable: its ETag and policy, or 304 when the client holds it. */
    static HttpResponse apply(HttpRequest request, HttpResponse response) {
        if (!("GET".equals(request.method()) || "HEAD".equals(request.method())) || response.status() != 200 || response.headers().containsKey("cache-control")) {
            return response;
        }
        // A route may name its own ETag: its view without parts that differ per request (signed URLs).
        String etag = response.headers().getOrDefault("etag", etag(response.body()));
        String ifNoneMatch = request.headers().get("if-none-match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("etag", etag);
            headers.put("cache-control", POLICY);
            return new HttpResponse(304, headers, "");
        }
        return response.withHeader("etag", etag).withHeader("cache-control", POLICY);
    }

    /**
     * 304 if the client holds the view with this ETag, before the route builds its body.
     */
    static java.util.Optional<HttpResponse> notModified(HttpRequest request, String etag) {
        String ifNoneMatch = request.headers().get("if-none-match");
        if (ifNoneMatch == null || !matches(ifNoneMatch, etag)) {
            return java.util.Optional.empty();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("etag", etag);
        headers.put("cache-control", POLICY);
        return java.util.Optional.of(new HttpResponse(304, headers, ""));
    }

    /** A weak ETag of a view made of items at these versions (ids and versions). */
    static String ofVersions(Object... parts) {
        StringBuilder basis = new StringBuilder();
        for (Object part : parts) {
            basis.append(part).append('/');
        }
        return etag(basis.toString());
    }

    /** A weak ETag of a view. */
    static String etag(String view) {
        return "W/\"" + Digests.sha256Hex(view, 12) + "\"";
    }

    /**
     * A strong ETag of a view led by a version a write sends back in {@code If-Match} ({@code "7.<digest>"}):
     * it changes whenever the view does, and its version part is what a conditional write compares.
     */
    static String strong(long version, String view) {
        return "\"" + version + "." + Digests.sha256Hex(view, 12) + "\"";
    }

    /** If-None-Match compares weakly (RFC 9110 13.1.2): a tag matches with or without its {@code W/}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String trimmed = candidate.trim();
            if (trimmed.equals("*") || opaque(trimmed).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
