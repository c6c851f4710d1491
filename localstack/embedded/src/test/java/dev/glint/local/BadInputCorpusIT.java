package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated corpus of malformed requests over every route of {@code openapi.yaml}: mutated and
 * truncated JSON, wrong types, huge and empty strings, invalid UTF-8, control characters, path
 * traversal and injection in ids and cursors, tampered, forged and expired tokens, wrong content
 * types, oversize bodies and header floods. Each must be answered with a 4xx JSON error (never a
 * 5xx), and the table and both buckets must be byte-for-byte what they were before.
 *
 * <p>The corpus is the same on every run (seed {@link #SEED}); its counts are written to
 * {@code target/bad-input-corpus.txt}.
 */
class BadInputCorpusIT {

    static final long SEED = 9;
    static final int MIN_REQUESTS = 1_000;

    private static final Pattern PATH_LINE = Pattern.compile("^  (/\\S*):$");
    private static final Pattern METHOD_LINE = Pattern.compile("^    (get|put|post|patch|delete):$");
    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    private static final String NO_SUCH_ID = "01JD3X9K2M4N5P6Q7R8S9T0V1W";

    // The corpus writes far faster than a person: the per-user write limit would turn it into 429s.

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(1_000_000, 1_000_000)
            .withReadLimits(1_000_000, 1_000_000));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    /** One request of the corpus. */
    record Probe(String category, String method, byte[] target, List<Map.Entry<String, String>> headers, byte[] body) {
        String describe() {
            String path = new String(target, StandardCharsets.ISO_8859_1);
            return category + " " + method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path)
                    + (body == null ? "" : " body(" + body.length + ")=" + preview(body));
        }

        private static String preview(byte[] body) {
            String text = new String(body, 0, Math.min(body.length, 100), StandardCharsets.ISO_8859_1);
            return text.replaceAll("\\p{Cntrl}", "?");
        }
    }

    /** What the corpus runs against: two users, their posts, a comment, a follow, a like and real cursors. */
    record World(String owner, String ownerToken, String postId, String commentId, String commentsCursor,
                 String postsCursor, String analystToken, String expiredToken, String foreignToken) {
    }

    @Test
    void everyMalformedRequestGetsA4xxJsonErrorAndChangesNothing() throws Exception {
        World world = world();
        List<String[]> routes = routes();
        assertTrue(routes.size() >= 24, "routes read from openapi.yaml: " + routes.size());
        List<Probe> corpus = corpus(routes, world);
        assertTrue(corpus.size() >= MIN_REQUESTS, "corpus of " + corpus.size());

        StackSnapshot before = StackSnapshot.quiet(stack);
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int gatewayAnswers = 0;
        int serverAnswers = 0;
        for (Probe probe : corpus) {
            RawHttp.Response response;
            try {
                response = RawHttp.send(stack.apiEndpoint(), probe.method(), probe.target(), probe.headers(), probe.body());
            } catch (IOException e) {
                throw new AssertionError("no answer to " + probe.describe(), e);
            }
            byStatus.merge(Integer.toString(response.status()), 1, Integer::sum);
            byCategory.merge(probe.category(), 1, Integer::sum);
            boolean notAUri = refusedByTheHttpServer(response) && MALFORMED_ESCAPE.matcher(
                    new String(probe.target(), StandardCharsets.ISO_8859_1)).find();
            String problem = notAUri ? null : problem(response);
            if (problem != null) {
                failures.add(probe.describe() + " -> " + response.status() + " " + problem + ": " + response.text());
            } else if (notAUri) {
                serverAnswers++;
            } else if (!isFunctionError(response)) {
                gatewayAnswers++;
            }
        }
        StackSnapshot after = StackSnapshot.quiet(stack);

        String report = "bad-input corpus (seed " + SEED + "): " + corpus.size() + " requests over " + routes.size()
                + " routes\nby category: " + byCategory + "\nby status: " + byStatus
                + "\nanswered by the gateway (API Gateway's own {\"message\"} bodies): " + gatewayAnswers
                + "\nrefused by the HTTP server (request line not a URI, 400 before the gateway): " + serverAnswers
                + "\nitems and objects compared before/after: " + before.items().size() + " items, "
                + before.objects().size() + " objects; changed: " + (before.equals(after) ? 0 : "SOME")
                + "\nfailures: " + failures.size() + "\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bad-input-corpus.txt"), report + String.join("\n", failures));
        System.out.println(report);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, e.g.\n"
                + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertEquals(before, after, () -> before.diff(after));
    }

    /** Null if the response is a proper refusal: a 4xx with a JSON error body. */
    private static String problem(RawHttp.Response response) {
        if (response.status() < 400 || response.status() >= 500) {
            return "not a 4xx";
        }
        if (!response.headers().getOrDefault("content-type", "").startsWith("application/json")) {
            return "not JSON (" + response.headers().get("content-type") + ")";
        }
        JsonNode body;
        try {
            body = ApiClient.JSON.readTree(response.body());
        } catch (IOException e) {
            return "malformed JSON";
        }
        if (body.has("error")) {
            boolean complete = !body.path("error").path("code").asText("").isBlank()
                    && !body.path("error").path("message").asText("").isBlank();
            return complete ? null : "an error without code and message";
        }
        // API Gateway answers these itself, before the function, with {"message": ...}; a function cannot shape them.
        boolean gateway = (response.status() == 401 || response.status() == 413)
                && !body.path("message").asText("").isBlank();
        return gateway ? null : "no {\"error\":{code,message}}";
    }

    /**
     * A request line that is not a URI at all ({@code /v1/posts/%zz}) is refused with 400 by the
     * HTTP server under the local gateway, before any gateway code or function runs (on AWS, the
     * edge refuses such a request the same way); the body is the server's, not Glint's.
     */
    private static boolean refusedByTheHttpServer(RawHttp.Response response) {
        return response.status() == 400 && response.text().contains("URISyntaxException");
    }

    private static boolean isFunctionError(RawHttp.Response response) {
        try {
            return ApiClient.JSON.readTree(response.body()).has("error");
        } catch (IOException e) {
            return false;
        }
    }

    private static World world() throws Exception {
        String owner = "owner_" + UUID.randomUUID().toString().substring(0, 6);
        String other = "other_" + UUID.randomUUID().toString().substring(0, 6);
        api.signUp(owner, owner);
        api.signUp(other, other);
        String postId = api.readyPost(owner, "first #corpus");
        api.readyPost(owner, "second");
        api.send("POST", "/v1/users/" + owner + "/follow", other, null, null);
        api.send("PUT", "/v1/posts/" + postId + "/like", other, null, null);
        String commentId = api.json("POST", owner, "/v1/posts/" + postId + "/comments", Map.of("text", "one"))
                .json().path("id").asText();
        api.json("POST", other, "/v1/posts/" + postId + "/comments", Map.of("text", "two"));
        String commentsCursor = api.get(owner, "/v1/posts/" + postId + "/comments?limit=1").json().path("next").asText();
        String postsCursor = api.get(owner, "/v1/users/" + owner + "/posts?limit=1").json().path("next").asText();
        assertTrue(!commentsCursor.isEmpty() && !postsCursor.isEmpty(), "real cursors to tamper with");
        api.tokenWithGroups("analyst", "product");
        String expired = stack.issuer().issue(owner, List.of(), Duration.ofMinutes(-5));
        String foreign = LocalJwtIssuer.create(null, EmbeddedStack.ISSUER, Clock.systemUTC()).issue(owner, List.of(), Duration.ofHours(1));
        return new World(owner, api.token(owner), postId, commentId, commentsCursor, postsCursor, api.token("analyst"),
                expired, foreign);
    }

    /** Every {@code METHOD /path} the served openapi.yaml documents (a unit test keeps it equal to the router). */
    private static List<String[]> routes() throws IOException {
        RawHttp.Response document = RawHttp.send(stack.apiEndpoint(), "GET", "/openapi.yaml".getBytes(StandardCharsets.US_ASCII),
                List.of(), null);
        assertEquals(200, document.status());
        List<String[]> routes = new ArrayList<>();
        String path = null;
        boolean inPaths = false;
        for (String line : document.text().split("\n")) {
            if (line.equals("paths:")) {
                inPaths = true;
                continue;
            }
            if (!inPaths) {
                continue;
            }
            Matcher p = PATH_LINE.matcher(line);
            Matcher m = METHOD_LINE.matcher(line);
            if (p.matches()) {
                path = p.group(1);
            } else if (m.matches() && path != null) {
                routes.add(new String[]{m.group(1).toUpperCase(java.util.Locale.ROOT), path});
            }
        }
        return routes;
    }

    private static boolean isPublic(String[] route) {
        return GlintResources.PUBLIC_ROUTES.stream().anyMatch(r -> r.path().equals(route[1]));
    }

    /**
     * The unsubscribe link's route is public and answers people with pages; asked for JSON, as an API
     * client asks, every broken, forged or missing token is a 4xx JSON error that changes nothing.
     */
    private static void unsubscribeTokens(List<Probe> corpus) {
        String forged = "dTEudXNlci4xOTk5OTk5OTk5.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        for (String query : List.of("", "?token=", "?token=abc", "?token=a.b", "?token=" + forged, "?token=%00",
                "?token=" + "x".repeat(600), "?token=" + forged + "&token=" + forged, "?tokens=" + forged)) {
            for (String method : List.of("GET", "POST")) {
                corpus.add(new Probe("unsubscribe-token", method, ascii("/v1/unsubscribe" + query),
                        List.of(Map.entry("Accept", "application/json")), null));
            }
        }
    }

    /** The route's path with every parameter filled with a real value of the world. */
    private static String realPath(String pattern, World world) {
        return pattern.replace("{handle}", world.owner()).replace("{id}", world.postId())
                .replace("{commentId}", world.commentId()).replace("{tag}", "corpus")
                .replace("{file}", "main.js");
    }

    /** A JSON body the route would accept as to its shape (each probe breaks it in one way). */
    private static Map<String, Object> template(String method, String pattern) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (method + " " + pattern) {
            case "PUT /v1/me" -> {
                body.put("handle", "fresh_handle_x");
                body.put("displayName", "Someone");
                body.put("bio", "hello");
            }
            case "POST /v1/uploads" -> {
                body.put("contentType", "image/jpeg");
                body.put("contentLength", 1000);
            }
            case "POST /v1/posts" -> {
                body.put("uploadId", NO_SUCH_ID);
                body.put("caption", "hello");
            }
            case "POST /v1/posts/{id}/comments" -> body.put("text", "nice");
            case "POST /v1/notifications/read" -> body.put("upTo", "2026-01-01T00:00:00Z");
            case "PUT /v1/me/preferences" -> body.put("emailDigest", "off");
            // The shipped experiment's id: even a body every other field of which is valid is refused (409), so
            // each probe reaches validation as a product manager and none creates anything.
            case "POST /v1/experiments" -> {
                body.put("id", "feed-ranking");
                body.put("description", "corpus");
                body.put("surface", "feed");
                body.put("variants", List.of(Map.of("name", "a", "weight", 1000), Map.of("name", "b", "weight", 1000)));
                body.put("control", "a");
                body.put("metrics", List.of("likes"));
                body.put("start", "2026-01-01T00:00:00Z");
                body.put("end", "2027-01-01T00:00:00Z");
                body.put("allocation", 1000);
            }
            default -> {
                return null;
            }
        }
        return body;
    }

    private static List<Probe> corpus(List<String[]> routes, World world) throws IOException {
        Random random = new Random(SEED);
        List<Probe> corpus = new ArrayList<>();
        for (String[] route : routes) {
            String method = route[0];
            String pattern = route[1];
            String path = realPath(pattern, world);
            if (isPublic(route)) {
                for (String wrong : List.of("PATCH", "DELETE", "PUT")) {
                    corpus.add(probe("wrong-method", wrong, path, world.ownerToken(), null, null));
                }
                if (pattern.equals("/v1/unsubscribe") && method.equals("GET")) {
                    unsubscribeTokens(corpus);
                }
                continue;
            }
            tokens(corpus, method, path, world);
            pathParameters(corpus, method, pattern, world);
            if (method.equals("GET") && !pattern.equals("/v1/me") && !pattern.equals("/v1/users/{handle}")
                    && !pattern.equals("/v1/posts/{id}") && !pattern.equals("/v1/me/preferences")
                    // My exports: at most the last 10, one page, so it takes no limit or cursor.
                    && !pattern.startsWith("/v1/me/exports")) {
                queries(corpus, method, pattern, path, world);
            }
            Map<String, Object> template = template(method, pattern);
            if (template != null) {
                bodies(corpus, method, path, template, world, random);
            }
            if (method.equals("POST") && pattern.equals("/v1/users/{handle}/follow")) {
                corpus.add(probe("self-follow", method, path, world.ownerToken(), null, null));
            }
            if (pattern.equals("/v1/users/{handle}/block") || pattern.equals("/v1/users/{handle}/mute")) {
                // Blocking or muting oneself (the path is the owner's own handle), and an unknown handle.
                corpus.add(probe("self-" + pattern.substring(pattern.lastIndexOf('/') + 1), method, path, world.ownerToken(), null, null));
                corpus.add(probe("unknown-handle", method, pattern.replace("{handle}", "no_such_handle_x"), world.ownerToken(),
                        null, null));
            }
        }
        methodsAndPaths(corpus, routes, world);
        headers(corpus, world);
        return corpus;
    }

    private static void tokens(List<Probe> corpus, String method, String path, World world) {
        String valid = world.ownerToken();
        String[] parts = valid.split("\\.");
        // A character in the middle: the last one also carries base64 padding bits, which decode to the same signature.
        int middle = parts[2].length() / 2;
        String flippedSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, middle)
                + (parts[2].charAt(middle) == 'A' ? 'B' : 'A') + parts[2].substring(middle + 1);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(LocalJwtIssuer.subjectOf(world.owner()), LocalJwtIssuer.subjectOf("someone_else"));
        String swappedPayload = parts[0] + "." + b64(payload) + "." + parts[2];
        String algNone = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        List<String> authorizations = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Bearer garbage",
                "Bearer " + flippedSignature, "Bearer " + swappedPayload, "Bearer " + algNone,
                "Bearer " + world.expiredToken(), "Bearer " + world.foreignToken(), "Basic dXNlcjpwYXNz",
                "Bearer " + "A".repeat(8_000), "Bearer a.b.c", "Bearer " + parts[0] + "." + parts[1]));
        for (String authorization : authorizations) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (!authorization.isEmpty()) {
                headers.add(Map.entry("Authorization", authorization));
            }
            byte[] body = method.equals("GET") || method.equals("DELETE") ? null : "{}".getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                headers.add(Map.entry("Content-Type", "application/json"));
            }
            corpus.add(new Probe("token", method, ascii(path), headers, body));
        }
    }

    /** Hostile values for one path segment, already percent-encoded where a raw byte would not be a valid URI. */
    private static final List<String> HOSTILE_SEGMENTS = List.of(
            "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "USER%23victim", "a%23PROFILE", "POST%23" + NO_SUCH_ID, "%00", "%C3%28",
            "%FF%FE", "%ED%A0%80", "x".repeat(3_000), "%27%20OR%201%3D1--", "%7B%22%24ne%22%3Anull%7D",
            "%0D%0ASet-Cookie%3A%20x%3Dy", "%E2%80%AE", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%20", "%", "%zz",
            "%F0%9F%98%80", "*", "~");

    private static void pathParameters(List<Probe> corpus, String method, String pattern, World world) {
        Matcher params = Pattern.compile("\\{(\\w+)}").matcher(pattern);
        while (params.find()) {
            String param = params.group();
            List<String> values = new ArrayList<>(HOSTILE_SEGMENTS);
            if (!param.equals("{tag}")) {
                values.add(NO_SUCH_ID); // well-formed, but nothing has it
                values.add(NO_SUCH_ID.toLowerCase(java.util.Locale.ROOT));
            }
            for (String value : values) {
                String path = realPath(pattern.replace(param, value), world);
                byte[] body = null;
                String type = null;
                Map<String, Object> template = template(method, pattern);
                if (MALFORMED_ESCAPE.matcher(value).find()) {
                    // The HTTP server refuses such a request line and closes at once: a body it never read would
                    // make the close a reset that can swallow its answer.
                    body = null;
                } else if (template != null) {
                    body = json(template);
                    type = "application/json";
                } else if (!method.equals("GET") && !method.equals("DELETE")) {
                    body = new byte[0];
                }
                corpus.add(probe("path:" + param, method, path, world.ownerToken(), body, type));
            }
        }
        if (pattern.contains("{handle}")) {
            // A raw non-UTF-8 byte in the path, as a client that does not encode might send it.
            byte[] raw = concat(ascii(realPath(pattern.substring(0, pattern.indexOf("{handle}")), world)),
                    new byte[]{(byte) 0xC3, (byte) 0x28, 'x'}, ascii(pattern.substring(pattern.indexOf("{handle}") + 8)));
            corpus.add(new Probe("path:raw-bytes", method, raw, auth(world.ownerToken()), method.equals("POST") ? new byte[0] : null));
        }
    }

    private static void queries(List<Probe> corpus, String method, String pattern, String path, World world) {
        String token = pattern.equals("/v1/reports/daily") ? world.analystToken() : world.ownerToken();
        String base = pattern.equals("/v1/reports/daily") ? path + "?from=2026-11-01&to=2026-11-02&" : path + "?";
        if (pattern.equals("/v1/reports/daily")) {
            for (String query : List.of("", "from=2026-11-01", "to=2026-11-01", "from=2026-13-45&to=2026-11-01",
                    "from=yesterday&to=today", "from=2026-11-05&to=2026-11-01", "from=2025-01-01&to=2026-11-01",
                    "from=%00&to=%FF", "from=2026-11-01T00:00:00Z&to=2026-11-02", "from=" + "9".repeat(500) + "&to=1",
                    "from=2026-11-01%27%20OR%201%3D1&to=2026-11-02")) {
                corpus.add(probe("query:range", method, path + "?" + query, token, null, null));
            }
            // Everyone outside the product group is refused, whatever the range.
            corpus.add(probe("query:group", method, path + "?from=2026-11-01&to=2026-11-02", world.ownerToken(), null, null));
            return;
        }
        for (String limit : List.of("0", "-1", "101", "abc", "1e2", "", "99999999999999999999", "%00", "1.5", "%2B5",
                "0x10", "%EF%BC%95")) {
            corpus.add(probe("query:limit", method, base + "limit=" + limit, token, null, null));
        }
        String cursor = pattern.equals("/v1/posts/{id}/comments") ? world.commentsCursor() : world.postsCursor();
        String foreign = pattern.equals("/v1/posts/{id}/comments") ? world.postsCursor() : world.commentsCursor();
        int dot = cursor.indexOf('.');
        String tamperedPayload = (cursor.charAt(0) == 'A' ? "B" : "A") + cursor.substring(1);
        // The last character of a signature partly holds unused bits: both it and one inside must be refused.
        String tamperedSignature = cursor.substring(0, cursor.length() - 1) + (cursor.endsWith("A") ? "B" : "A");
        int inside = dot + 5;
        String tamperedInside = cursor.substring(0, inside) + (cursor.charAt(inside) == 'A' ? 'B' : 'A') + cursor.substring(inside + 1);
        for (String value : List.of(tamperedPayload, tamperedSignature, tamperedInside, foreign, "abc", "a.b", ".", "..", "",
                cursor.substring(0, dot), cursor.substring(dot), "x".repeat(10_000) + "." + "y".repeat(100),
                "%27%20OR%201%3D1--", "%FF.%FE", b64("{\"pk\":\"USER#x\",\"sk\":\"PROFILE\"}") + "." + b64("sig"),
                "..%2F..%2Fetc", cursor + cursor)) {
            corpus.add(probe("query:cursor", method, base + "cursor=" + value, token, null, null));
        }
    }

    private static void bodies(List<Probe> corpus, String method, String path, Map<String, Object> template, World world,
                               Random random) throws IOException {
        // Experiments are changed by product managers only: the probes are theirs, to reach the validation.
        String token = path.startsWith("/v1/experiments") ? world.analystToken() : world.ownerToken();
        String text = new String(json(template), StandardCharsets.UTF_8);
        // Every strict prefix of the body: truncated JSON.
        for (int end = 0; end < text.length(); end++) {
            corpus.add(probe("body:truncated", method, path, token, utf8(text.substring(0, end)), "application/json"));
        }
        for (String whole : List.of("[]", "\"text\"", "1", "null", "true", "[" + text + "]", text + text, text + "}",
                "{" + text + "}", "{\"a\":1,}", "{'a':1}", "{\"a\" 1}", text.replace("\"", "'"))) {
            corpus.add(probe("body:not-an-object", method, path, token, utf8(whole), "application/json"));
        }
        List<Object> wrongTypes = List.of(1, 1.5, true, List.of(), Map.of(), List.of("a"), Map.of("nested", "x"));
        for (String field : template.keySet()) {
            for (Object wrong : wrongTypes) {
                if (template.get(field) instanceof Number && wrong instanceof Integer) {
                    continue; // a whole number is the right type for a number field
                }
                corpus.add(bodyWith("body:wrong-type", method, path, token, template, field, wrong));
            }
            if (template.get(field) instanceof Number) {
                for (Object value : List.of("1000", -1, 0, 1L << 40, 1.0e300, "NaN")) {
                    corpus.add(bodyWith("body:bad-number", method, path, token, template, field, value));
                }
                corpus.add(probe("body:bad-number", method, path, token,
                        utf8(text.replace("1000", "99999999999999999999999")), "application/json"));
                corpus.add(probe("body:bad-number", method, path, token, utf8(text.replace("1000", "NaN")), "application/json"));
                corpus.add(probe("body:bad-number", method, path, token, utf8(text.replace("1000", "1e400")), "application/json"));
                continue;
            }
            for (String value : hostileStrings(field)) {
                corpus.add(bodyWith("body:hostile-string", method, path, token, template, field, value));
            }
            // Invalid UTF-8 inside the field's string.
            for (byte[] bad : List.of(new byte[]{(byte) 0xC3, (byte) 0x28}, new byte[]{(byte) 0xFF},
                    new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF})) {
                String marker = "\"" + field + "\":\"";
                int at = text.indexOf(marker) + marker.length();
                byte[] body = concat(utf8(text.substring(0, at)), bad, utf8(text.substring(at)));
                corpus.add(probe("body:invalid-utf8", method, path, token, body, "application/json"));
            }
        }
        String first = template.keySet().iterator().next();
        corpus.add(probe("body:duplicate-key", method, path, token,
                utf8(text.substring(0, text.length() - 1) + ",\"" + first + "\":" + ApiClient.JSON.writeValueAsString(template.get(first)) + "}"),
                "application/json"));
        for (String extra : List.of("\"admin\":true", "\"__proto__\":{}", "\"pk\":\"USER#x\"", "\"\":1", "\"" + "k".repeat(5_000) + "\":1")) {
            corpus.add(probe("body:unknown-field", method, path, token, utf8(text.substring(0, text.length() - 1) + "," + extra + "}"),
                    "application/json"));
        }
        corpus.add(probe("body:deep", method, path, token,
                utf8("{\"" + first + "\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"), "application/json"));
        corpus.add(probe("body:deep", method, path, token, utf8("[".repeat(100_00)), "application/json"));
        for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "application/jsonx", "json", "application/json-patch+json", "*/*")) {
            corpus.add(probe("body:content-type", method, path, token, json(template), type));
        }
        corpus.add(probe("body:content-type", method, path, token, json(template), null));
        corpus.add(probe("body:empty", method, path, token, new byte[0], "application/json"));
        corpus.add(probe("body:empty", method, path, token, null, "application/json"));
        corpus.add(probe("body:oversize", method, path, token, utf8("{\"" + first + "\":\"" + "x".repeat(140_000) + "\"}"),
                "application/json"));
        for (int i = 0; i < 25; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            corpus.add(probe("body:random-bytes", method, path, token, garbage, "application/json"));
        }
        for (int i = 0; i < 15; i++) {
            // Structural damage: one of the JSON's punctuation characters replaced.
            char[] chars = text.toCharArray();
            List<Integer> structural = new ArrayList<>();
            for (int c = 0; c < chars.length; c++) {
                if ("{}:,\"".indexOf(chars[c]) >= 0) {
                    structural.add(c);
                }
            }
            chars[structural.get(random.nextInt(structural.size()))] = "[]=;'\\ \u0000".charAt(random.nextInt(8));
            corpus.add(probe("body:mutated-json", method, path, token, utf8(new String(chars)), "application/json"));
        }
    }

    /** Values of a string field that the route must refuse. */
    private static List<String> hostileStrings(String field) {
        List<String> values = new ArrayList<>(List.of("a\u0000b", "\u001b[31mred", "bell\u0007", "x".repeat(60_000)));
        switch (field) {
            case "handle", "contentType", "uploadId", "upTo" -> values.addAll(List.of("", " ", "../../etc/passwd",
                    "' OR 1=1 --", "{\"$ne\":null}", "USER#x", "<script>alert(1)</script>", "\u202Eevil", "%00", "é".repeat(31)));
            case "text" -> values.addAll(List.of("", " ", "\n\n", "é".repeat(2_201)));
            case "displayName" -> values.add("n".repeat(51));
            case "bio" -> values.add("b".repeat(151));
            default -> {
            }
        }
        return values;
    }

    private static void methodsAndPaths(List<Probe> corpus, List<String[]> routes, World world) {
        Map<String, List<String>> methodsByPath = new LinkedHashMap<>();
        for (String[] route : routes) {
            methodsByPath.computeIfAbsent(route[1], p -> new ArrayList<>()).add(route[0]);
        }
        methodsByPath.forEach((pattern, methods) -> {
            for (String method : List.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS")) {
                if (!methods.contains(method)) {
                    corpus.add(probe("wrong-method", method, realPath(pattern, world), world.ownerToken(),
                            method.equals("GET") || method.equals("OPTIONS") ? null : new byte[0], null));
                }
            }
        });
        // ("/" is the web client, a public page; it is probed with wrong methods above.)
        for (String path : List.of("/index.html", "/v1", "/v1/", "/v1/me/", "//v1//me", "/V1/ME", "/v1/posts/", "/v1/posts//like",
                "/v1/posts/" + world.postId() + "/../../me", "/v1/users/" + world.owner() + "/%2e%2e/follow",
                "/v2/me", "/v1/me;jsessionid=1", "/v1/%", "/v1/me%00", "/.well-known/../v1/me", "/v1/posts/%2F",
                "/" + "a/".repeat(2_000))) {
            corpus.add(probe("unknown-path", "GET", path, world.ownerToken(), null, null));
        }
    }

    /** Header floods and odd headers, each on a request that is otherwise malformed too (a bad JSON body). */
    private static void headers(List<Probe> corpus, World world) {
        byte[] badJson = utf8("{\"handle\":");
        List<List<Map.Entry<String, String>>> variants = new ArrayList<>();
        List<Map.Entry<String, String>> flood = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            flood.add(Map.entry("X-Junk-" + i, "v".repeat(50)));
        }
        variants.add(flood);
        variants.add(List.of(Map.entry("X-Big", "b".repeat(16_000))));
        List<Map.Entry<String, String>> cookies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            cookies.add(Map.entry("Cookie", "c" + i + "=" + "v".repeat(40)));
        }
        variants.add(cookies);
        variants.add(List.of(Map.entry("X-Control", "a\u0001b\u007f")));
        variants.add(List.of(Map.entry("X-Latin", "\u00ff\u00fe\u00c3")));
        variants.add(List.of(Map.entry("Content-Type", "application/json"), Map.entry("Content-Type", "text/plain")));
        variants.add(List.of(Map.entry("X-Forwarded-For", "127.0.0.1, ' OR 1=1"), Map.entry("X-Amzn-Trace-Id", "%00")));
        variants.add(List.of(Map.entry("If-None-Match", "\"" + "e".repeat(5_000) + "\"")));
        variants.add(List.of(Map.entry("Authorization", "Bearer " + world.ownerToken()), Map.entry("Authorization", "Bearer x")));
        variants.add(List.of(Map.entry("Accept", "application/xml"), Map.entry("Accept-Encoding", "gzip;q=\u0000")));
        for (List<Map.Entry<String, String>> variant : variants) {
            List<Map.Entry<String, String>> headers = new ArrayList<>(auth(world.ownerToken()));
            if (variant.stream().noneMatch(h -> h.getKey().equals("Content-Type"))) {
                headers.add(Map.entry("Content-Type", "application/json"));
            }
            if (variant.stream().anyMatch(h -> h.getKey().equals("Authorization"))) {
                headers.clear();
                headers.add(Map.entry("Content-Type", "application/json"));
            }
            headers.addAll(variant);
            corpus.add(new Probe("headers", "PUT", ascii("/v1/me"), headers, badJson));
        }
        // A body over API Gateway's 10 MB payload limit: the gateway refuses it before the function.
        corpus.add(probe("body:over-10MB", "PUT", "/v1/me", world.ownerToken(), new byte[10 * 1024 * 1024 + 10], "application/json"));
    }

    private static Probe bodyWith(String category, String method, String path, String token, Map<String, Object> template,
                                  String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>(template);
        body.put(field, value);
        return probe(category, method, path, token, json(body), "application/json");
    }

    private static Probe probe(String category, String method, String path, String token, byte[] body, String contentType) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(auth(token));
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        return new Probe(category, method, ascii(path), headers, body);
    }

    private static List<Map.Entry<String, String>> auth(String token) {
        return token == null ? List.of() : List.of(Map.entry("Authorization", "Bearer " + token));
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return ApiClient.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(text));
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
