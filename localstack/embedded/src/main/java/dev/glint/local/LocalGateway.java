package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.resources.GlintResources;
import dev.glint.local.http.JdkHttpServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Plays API Gateway's HTTP API (payload format 2.0) in front of the {@code api} handler: turns each
 * HTTP request into the event API Gateway would send, runs the JWT authorizer on every non-public
 * route, enforces the payload and timeout limits with API Gateway's status codes and bodies, and
 * maps the handler's response back.
 *
 * <p>It also serves what only a local stack has: the local issuer's JWKS and {@code POST /v1/dev/token}.
 *
 * <p>It answers only requests addressed to it by a loopback name ({@code localhost}, {@code 127.0.0.1},
 * {@code [::1]}, with or without its port): a web page that rebinds its own DNS name to 127.0.0.1
 * reaches the port, but its requests carry its own name in {@code Host} and are refused with 421
 * before any handler runs. A browser may still post to {@code /v1/dev/token} from another site
 * (a form or a no-CORS fetch needs no preflight), so that route refuses any {@code Origin} but the
 * gateway's own.
 */
final class LocalGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter API_GW_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    /** A plain address, as a verified email claim holds one (no display name, nothing a header could break on). */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9.\\-]{1,190}\\.[A-Za-z]{2,24}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    /**
     * Which routes need a token and the route key an event carries. By default the public routes of
     * {@link GlintResources}; in template mode the template's {@code AWS::ApiGatewayV2::Route}s.
     */
    interface Routes {
        Routes GLINT_RESOURCES = new Routes() {
            @Override
            public boolean requiresToken(String method, String path) {
                return !isPublic(method, path);
            }

            @Override
            public String routeKey(String method, String path) {
                return GlintResources.PUBLIC_ROUTES.stream().filter(r -> r.matches(method, path)).findFirst()
                        .map(r -> r.method() + " " + r.path()).orElse("$default");
            }
        };

        /** Whether the JWT authorizer runs for this request. */
        boolean requiresToken(String method, String path);

        /** The {@code routeKey} of the event: the route that matched. */
        String routeKey(String method, String path);
    }

    /** API Gateway's limits for HTTP APIs: 10 MB payloads, 30 s integration timeout. */
    record Limits(int maxPayloadBytes, Duration integrationTimeout) {
        static Limits apiGateway() {
            return new Limits(10 * 1024 * 1024, Duration.ofSeconds(30));
        }
    }

    /**
     * API Gateway's quota for an HTTP API's request line and header values together (10,240 bytes,
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). The request
     * line alone is held to it here: a longer one is 414.
     */
    static final int MAX_REQUEST_LINE_BYTES = 10_240;

    private final HttpServer server;
    private final ExecutorService invocations;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;
    private final LocalJwtIssuer issuer;
    private final Limits limits;
    private final Routes routes;
    /** The {@code Host} values it answers to, lower case. */
    private final Set<String> hosts;
    private final String servedHosts;
    /** The origins of the pages it serves itself: the only ones that may ask for a development token. */
    private final List<String> origins;

    LocalGateway(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api,
                 LocalJwtIssuer issuer, Limits limits) throws IOException {
        this(port, api, issuer, limits, Routes.GLINT_RESOURCES);
    }

    LocalGateway(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api,
                 LocalJwtIssuer issuer, Limits limits, Routes routes) throws IOException {
        this.routes = routes;
        this.api = api;
        this.issuer = issuer;
        this.limits = limits;
        this.invocations = Executors.newCachedThreadPool(daemon("glint-api-invoke"));
        this.server = JdkHttpServers.loopback(port, 128);
        int bound = server.getAddress().getPort();
        Set<String> names = new LinkedHashSet<>();
        Set<String> pages = new LinkedHashSet<>();
        for (String name : LOOPBACK_NAMES) {
            names.add(name + ":" + bound);
            names.add(name);
            pages.add("http://" + name + ":" + bound);
            if (bound == 80) {
                pages.add("http://" + name);
            }
        }
        this.hosts = Set.copyOf(names);
        this.origins = List.copyOf(pages);
        this.servedHosts = String.join(", ", LOOPBACK_NAMES.stream().map(name -> name + ":" + bound).toList());
        this.server.setExecutor(Executors.newFixedThreadPool(32, daemon("glint-gateway")));
        this.server.createContext("/", this::serve);
        this.server.start();
    }

    /** The origins of the pages it serves ({@code http://localhost:PORT}, {@code http://127.0.0.1:PORT}, {@code http://[::1]:PORT}). */
    List<String> pageOrigins() {
        return origins;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        invocations.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String requestId = newRequestId();
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            int requestLine = method.length() + uri.toString().length() + exchange.getProtocol().length() + 2;
            if (requestLine > MAX_REQUEST_LINE_BYTES) {
                send(exchange, 414, apiGatewayMessage("Request-URI Too Long"), requestId);
                return;
            }
            String path = rawPath(uri);
            List<String> host = exchange.getRequestHeaders().get("host");
            if (host == null || host.size() != 1 || !hosts.contains(host.get(0).trim().toLowerCase(Locale.ROOT))) {
                send(exchange, 421, message("Misdirected Request: this local gateway answers only to Host "
                        + servedHosts + " (with or without the port)"), requestId);
                return;
            }

            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, apiGatewayMessage("Request Entity Too Large"), requestId);
                return;
            }
            if (method.equals("GET") && path.equals("/.well-known/jwks.json")) {
                send(exchange, 200, JSON.writeValueAsBytes(issuer.jwks()), requestId);
                return;
            }
            if (method.equals("POST") && path.equals("/v1/dev/token")) {
                List<String> origin = exchange.getRequestHeaders().get("origin");
                if (origin != null && (origin.size() != 1 || !origins.contains(origin.get(0).trim().toLowerCase(Locale.ROOT)))) {
                    send(exchange, 403, message("Forbidden: development tokens are given only to this gateway's own pages ("
                            + String.join(", ", origins) + ") and to clients that send no Origin"),
                            requestId);
                    return;
                }
                devToken(exchange, body, requestId);
                return;
            }

            Map<String, String> claims = null;
            if (routes.requiresToken(method, path)) {
                Optional<Map<String, String>> verified = bearer(exchange.getRequestHeaders()).flatMap(issuer::verify);
                if (verified.isEmpty()) {
                    exchange.getResponseHeaders().add("www-authenticate", "Bearer");
                    send(exchange, 401, apiGatewayMessage("Unauthorized"), requestId);
                    return;
                }
                claims = verified.get();
            }
            APIGatewayV2HTTPEvent event = toEvent(exchange, method, uri, path, body, claims, requestId);
            APIGatewayV2HTTPResponse response;
            Future<APIGatewayV2HTTPResponse> call = invocations.submit(() ->
                    api.handleRequest(event, LocalContext.forInvocation("api", limits.integrationTimeout().toMillis())));
            try {
                response = call.get(limits.integrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                LOG.warn("request {} {} {} timed out after {}", requestId, method, path, limits.integrationTimeout());
                send(exchange, 503, apiGatewayMessage("Service Unavailable"), requestId);
                return;
            } catch (ExecutionException e) {
                LOG.error("request {} {} {}: the api function failed", requestId, method, path, e.getCause());
                send(exchange, 500, apiGatewayMessage("Internal Server Error"), requestId);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, 503, apiGatewayMessage("Service Unavailable"), requestId);
                return;
            }
            respond(exchange, response, requestId);
        } catch (RuntimeException e) {
            LOG.error("request {}: the local gateway failed", requestId, e);
            send(exchange, 500, apiGatewayMessage("Internal Server Error"), requestId);
        }
    }

    private void respond(HttpExchange exchange, APIGatewayV2HTTPResponse response, String requestId) throws IOException {
        if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            LOG.error("request {}: the api function returned a malformed response", requestId);
            send(exchange, 500, apiGatewayMessage("Internal Server Error"), requestId);
            return;
        }
        Headers out = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(out::set);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(v -> out.add(name, v)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> out.add("set-cookie", cookie));
        }
        byte[] body;
        if (response.getBody() == null) {
            body = new byte[0];
        } else if (response.getIsBase64Encoded()) {
            body = Base64.getDecoder().decode(response.getBody());
        } else {
            body = response.getBody().getBytes(StandardCharsets.UTF_8);
        }
        send(exchange, response.getStatusCode(), body, requestId);
    }

    private APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, String method, URI uri, String path, byte[] body,
                                         Map<String, String> claims, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> {
                    for (String cookie : v.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                });
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.merge("x-forwarded-for", sourceIp, (a, b) -> a + ", " + b);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(server.getAddress().getPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.put("content-length", Integer.toString(body.length));
        if (body.length == 0) {
            headers.remove("content-length");
        }

        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        Instant now = Instant.now();
        String routeKey = routes.routeKey(method, path);
        String host = headers.getOrDefault("host", "localhost");

        var requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey)
                .withAccountId(LocalContext.ACCOUNT)
                .withApiId("local")
                .withStage("$default")
                .withDomainName(host)
                .withDomainPrefix(host.split("[.:]")[0])
                .withRequestId(requestId)
                .withTime(API_GW_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .withProtocol(exchange.getProtocol())
                        .withSourceIp(sourceIp)
                        .withUserAgent(headers.getOrDefault("user-agent", ""))
                        .build());
        if (claims != null) {
            requestContext.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                            .withClaims(claims)
                            .withScopes(null)
                            .build())
                    .build());
        }
        Body encoded = encodeBody(body, headers.get("content-type"));
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(queryParameters(rawQuery))
                .withBody(encoded.text())
                .withIsBase64Encoded(encoded.base64())
                .withRequestContext(requestContext.build())
                .build();
    }

    record Body(String text, boolean base64) {
    }

    /**
     * Text bodies pass as text; anything else, and text that is not valid UTF-8, is base64-encoded,
     * so the handler sees the exact bytes the client sent.
     */
    static Body encodeBody(byte[] body, String contentType) {
        if (body.length == 0) {
            return new Body(null, false);
        }
        if (isText(contentType)) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body)).toString();
                return new Body(text, false);
            } catch (CharacterCodingException e) {
                // fall through to base64: the handler decides what invalid UTF-8 means
            }
        }
        return new Body(Base64.getEncoder().encodeToString(body), true);
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded") || type.equals("application/yaml");
    }

    static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params.isEmpty() ? null : params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /**
     * The path as API Gateway hands it on ({@code rawPath}): as sent, dot segments and inner repeated
     * slashes included, with repeated leading slashes taken as one. A target that starts with
     * {@code //} is a path, never an authority: {@code //evil.example/v1/me} is the path
     * {@code /evil.example/v1/me} (a 404), not {@code /v1/me}.
     */
    static String rawPath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getScheme() == null && uri.getRawAuthority() != null) {
            // java.net.URI reads "//host/path" as a network-path reference; a request target has no authority.
            path = "//" + uri.getRawAuthority() + path;
        }
        int first = 0;
        while (first + 1 < path.length() && path.charAt(first) == '/' && path.charAt(first + 1) == '/') {
            first++;
        }
        path = path.substring(first);
        return path.isEmpty() ? "/" : path;
    }

    private static boolean isPublic(String method, String path) {
        return GlintResources.PUBLIC_ROUTES.stream().anyMatch(r -> r.matches(method, path));
    }

    private static Optional<String> bearer(Headers headers) {
        String value = headers.getFirst("authorization");
        if (value == null) {
            return Optional.empty();
        }
        value = value.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private void devToken(HttpExchange exchange, byte[] body, String requestId) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            send(exchange, 400, glintError("invalid_json", "The body must be a JSON object like {\"username\":\"alice\"}."), requestId);
            return;
        }
        if (request == null || !request.isObject()) {
            send(exchange, 400, glintError("invalid_json", "The body must be a JSON object like {\"username\":\"alice\"}."), requestId);
            return;
        }
        List<String> unknown = new ArrayList<>();
        request.fieldNames().forEachRemaining(name -> {
            if (!name.equals("username") && !name.equals("groups") && !name.equals("email")) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            send(exchange, 400, glintError("unknown_field", "Unknown field(s) " + unknown + "; allowed: username, groups, email."), requestId);
            return;
        }
        JsonNode username = request.get("username");
        if (username == null || !username.isTextual() || !USERNAME.matcher(username.asText()).matches()) {
            send(exchange, 400, glintError("invalid_username", "username must be 1-64 letters, digits, '_', '.' or '-'."), requestId);
            return;
        }
        List<String> groups = new ArrayList<>();
        JsonNode rawGroups = request.get("groups");
        if (rawGroups != null) {
            boolean valid = rawGroups.isArray();
            if (valid) {
                for (JsonNode group : rawGroups) {
                    valid &= group.isTextual() && GROUP.matcher(group.asText()).matches();
                    groups.add(group.asText());
                }
            }
            if (!valid) {
                send(exchange, 400, glintError("invalid_groups", "groups must be an array of names (letters, digits, '_' or '-')."), requestId);
                return;
            }
        }
        JsonNode email = request.get("email");
        if (email != null && (!email.isTextual() || !EMAIL.matcher(email.asText()).matches())) {
            send(exchange, 400, glintError("invalid_email", "email must be an address like alice@example.com (it goes in the "
                    + "token as a verified email, as Cognito's ID tokens carry it)."), requestId);
            return;
        }
        Duration ttl = Duration.ofHours(1);
        String token = issuer.issue(username.asText(), groups, Optional.ofNullable(email).map(JsonNode::asText), ttl);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", token);
        out.put("sub", LocalJwtIssuer.subjectOf(username.asText()));
        out.put("expiresIn", ttl.toSeconds());
        send(exchange, 200, JSON.writeValueAsBytes(out), requestId);
    }

    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(limits.maxPayloadBytes() + 1);
        if (body.length > limits.maxPayloadBytes()) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return body;
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String requestId) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("apigw-requestid", requestId);
        if (!headers.containsKey("content-type") && body.length > 0) {
            headers.set("content-type", "application/json");
        }
        boolean noBody = status == 204 || status == 304 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody || body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] apiGatewayMessage(String message) {
        return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"message":"..."}}, the shape of API Gateway's own answers, for a message of the gateway's own. */
    private static byte[] message(String message) {
        try {
            return JSON.writeValueAsBytes(Map.of("message", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] glintError(String code, String message) {
        try {
            return JSON.writeValueAsBytes(Map.of("error", Map.of("code", code, "message", message)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newRequestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
