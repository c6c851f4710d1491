package dev.glint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glint.local.http.JdkHttpServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The local stand-in for Cognito's managed login (a user pool domain), on its own loopback origin as a
 * user pool domain is its own origin, speaking the endpoints the web page uses deployed, so the page's
 * sign-in is one code path:
 * <ul>
 *   <li>{@code GET /oauth2/authorize?response_type=code&client_id&redirect_uri&state&scope&code_challenge&code_challenge_method=S256}:
 *   a sign-in page (a username, an optional verified email, the dev issuer's groups) whose form posts to
 *   {@code POST /login}, which redirects to {@code redirect_uri?code=...&state=...};</li>
 *   <li>{@code POST /oauth2/token} (form-encoded; called with fetch from the page's origin, so it answers
 *   CORS): {@code grant_type=authorization_code} with {@code code}, {@code client_id}, {@code redirect_uri} and
 *   {@code code_verifier}, or {@code grant_type=refresh_token} with {@code refresh_token} and {@code client_id};
 *   Cognito's answer {@code {"id_token","access_token","refresh_token","expires_in","token_type":"Bearer"}}
 *   (no new refresh token on a refresh), or Cognito's error shape {@code {"error":"invalid_grant"}} with 400;</li>
 *   <li>{@code GET /logout?client_id&logout_uri}: a redirect to {@code logout_uri}.</li>
 * </ul>
 * As Cognito: a code is good once and for 5 minutes, for the client and redirect URI it was given to, and
 * with PKCE only for the verifier whose SHA-256 is the challenge ({@code S256}; PKCE is optional for a public
 * client, as Cognito's); a redirect URI or sign-out URL must be one the app client allows (the gateway's pages),
 * else an error page and no redirect. The tokens are the local issuer's, so the gateway and the realtime
 * authorizer accept them. What differs: no password (anyone may be anyone, as with {@code /v1/dev/token}),
 * no session cookie (every authorize shows the form; sign-out has no session to end), and refresh tokens
 * live in memory only (a restart signs everyone out at their ID token's expiry).
 *
 * <p>Like the gateway, it answers only to a loopback {@code Host} (a page that rebinds its own name to
 * 127.0.0.1 could otherwise run the flow same-origin and read the code from the final URL).
 */
final class LocalManagedLogin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalManagedLogin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9.\\-]{1,190}\\.[A-Za-z]{2,24}");
    /** RFC 7636: 43 to 128 unreserved characters. */
    private static final Pattern PKCE = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    /** The groups of the local stack's test users, as the dev issuer's form offers them. */
    static final List<String> GROUPS = List.of("product", "moderator");
    static final List<String> SCOPES = List.of("openid", "email", "profile");
    /** Cognito's: an authorization code is good for 5 minutes. */
    static final Duration CODE_TTL = Duration.ofMinutes(5);
    /** The app client's token lifetimes (infra-cdk's web client: 1 hour, refresh 30 days). */
    static final Duration TOKEN_TTL = Duration.ofHours(1);
    static final Duration REFRESH_TTL = Duration.ofDays(30);

    private record Grant(String username, List<String> groups, Optional<String> email, List<String> scopes) {
    }

    private record Code(Grant grant, String clientId, String redirectUri, Optional<String> challenge, Instant expires) {
    }

    private record Refresh(Grant grant, String clientId, Instant expires) {
    }

    private final HttpServer server;
    private final LocalJwtIssuer issuer;
    private final String clientId;
    private final Clock clock;
    private final Set<String> hosts;
    /** The app client's callback and sign-out URLs: the gateway's pages. */
    private final Set<String> allowedUrls = new CopyOnWriteArraySet<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();

    /** Starts on a free loopback port; the app client is the issuer's audience, as an ID token's {@code aud} is its client. */
    LocalManagedLogin(LocalJwtIssuer issuer, Clock clock) throws IOException {
        this.issuer = issuer;
        this.clientId = issuer.audience();
        this.clock = clock;
        this.server = JdkHttpServers.loopback(0, 64);
        int port = server.getAddress().getPort();
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "glint-managed-login");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    /** The base URL, as a user pool domain's {@code https://<domain>.auth.<region>.amazoncognito.com}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String clientId() {
        return clientId;
    }

    /** Adds callback and sign-out URLs to the app client (exact matches, as Cognito compares them). */
    void allow(Collection<String> urls) {
        allowedUrls.addAll(urls);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            String host = exchange.getRequestHeaders().getFirst("host");
            if (host == null || !hosts.contains(host.trim().toLowerCase(Locale.ROOT))) {
                page(exchange, 421, "Misdirected request", "This local sign-in answers only to " + String.join(", ", hosts) + ".", null);
                return;
            }
            switch (method + " " + path) {
                case "GET /oauth2/authorize" -> authorize(exchange);
                case "POST /login" -> login(exchange);
                case "POST /oauth2/token" -> token(exchange);
                case "OPTIONS /oauth2/token" -> {
                    cors(exchange);
                    exchange.getResponseHeaders().set("access-control-allow-methods", "POST");
                    exchange.getResponseHeaders().set("access-control-allow-headers", "content-type, authorization");
                    exchange.sendResponseHeaders(204, -1);
                }
                case "GET /logout" -> logout(exchange);
                default -> page(exchange, 404, "Not found", "This local sign-in serves /oauth2/authorize, /oauth2/token and /logout.", null);
            }
        } catch (RuntimeException e) {
            LOG.error("the local managed login failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            page(exchange, 500, "Sign-in failed", "The local sign-in had a problem; the stack's log says what.", null);
        }
    }

    // --- authorize and the sign-in page

    /** The authorize request's parameters, checked; an error page (no redirect) when the client or redirect URI is wrong. */
    private Optional<Map<String, String>> authorizeRequest(HttpExchange exchange, Map<String, List<String>> params) throws IOException {
        Map<String, String> single = new LinkedHashMap<>();
        for (var entry : params.entrySet()) {
            if (entry.getValue().size() != 1) {
                page(exchange, 400, "Sign-in failed", "The parameter " + entry.getKey() + " was given more than once.", null);
                return Optional.empty();
            }
            single.put(entry.getKey(), entry.getValue().get(0));
        }
        if (!clientId.equals(single.get("client_id"))) {
            // Cognito shows an error page: with an unknown client there is no redirect URI it can trust.
            page(exchange, 400, "Sign-in failed", "client_id is missing or not an app client of this user pool ("
                    + clientId + ").", null);
            return Optional.empty();
        }
        String redirect = single.get("redirect_uri");
        if (redirect == null || !allowedUrls.contains(redirect)) {
            page(exchange, 400, "Sign-in failed", "redirect_uri is missing or not one of the app client's callback URLs ("
                    + String.join(", ", allowedUrls) + ").", null);
            return Optional.empty();
        }
        String error = null;
        if (!"code".equals(single.get("response_type"))) {
            error = "unsupported_response_type";
        } else if (single.containsKey("code_challenge") != single.containsKey("code_challenge_method")
                || (single.containsKey("code_challenge_method") && !"S256".equals(single.get("code_challenge_method")))
                || (single.containsKey("code_challenge") && !PKCE.matcher(single.get("code_challenge")).matches())) {
            error = "invalid_request";
        } else if (single.containsKey("scope") && !SCOPES.containsAll(List.of(single.get("scope").split(" ")))) {
            error = "invalid_scope";
        }
        if (error != null) {
            // What the page can act on goes back to it, as OAuth 2.0 says (RFC 6749, 4.1.2.1).
            redirect(exchange, redirect + "?error=" + error + state(single));
            return Optional.empty();
        }
        return Optional.of(single);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Optional<Map<String, String>> request = authorizeRequest(exchange, parse(exchange.getRequestURI().getRawQuery()));
        if (request.isPresent()) {
            signInPage(exchange, request.get(), null);
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, List<String>> form = parse(new String(exchange.getRequestBody().readNBytes(16 * 1024), StandardCharsets.UTF_8));
        List<String> groups = form.getOrDefault("groups", List.of());
        String username = first(form, "username").trim();
        String email = first(form, "email").trim();
        Map<String, List<String>> oauth = new LinkedHashMap<>(form);
        oauth.keySet().removeAll(List.of("username", "email", "groups"));
        Optional<Map<String, String>> request = authorizeRequest(exchange, oauth);
        if (request.isEmpty()) {
            return;
        }
        String problem = !USERNAME.matcher(username).matches() ? "The username must be 1 to 64 letters, digits, '_', '.' or '-'."
                : !email.isEmpty() && !EMAIL.matcher(email).matches() ? "The email must be an address like alice@example.com, or empty."
                : !GROUPS.containsAll(groups) ? "The groups are " + String.join(" and ", GROUPS) + "." : null;
        if (problem != null) {
            signInPage(exchange, request.get(), problem);
            return;
        }
        Map<String, String> r = request.get();
        List<String> scopes = r.containsKey("scope") ? List.of(r.get("scope").split(" ")) : SCOPES;
        String code = random();
        codes.put(code, new Code(new Grant(username, List.copyOf(new LinkedHashSet<>(groups)),
                email.isEmpty() ? Optional.empty() : Optional.of(email), scopes), clientId, r.get("redirect_uri"),
                Optional.ofNullable(r.get("code_challenge")), clock.instant().plus(CODE_TTL)));
        redirect(exchange, r.get("redirect_uri") + "?code=" + code + state(r));
    }

    private void signInPage(HttpExchange exchange, Map<String, String> request, String problem) throws IOException {
        StringBuilder form = new StringBuilder("<form method=\"post\" action=\"/login\">");
        for (var entry : request.entrySet()) {
            form.append("<input type=\"hidden\" name=\"").append(escape(entry.getKey())).append("\" value=\"")
                    .append(escape(entry.getValue())).append("\">");
        }
        form.append("<p><label for=\"username\">Username</label><br><input id=\"username\" name=\"username\" type=\"text\" "
                + "autocomplete=\"username\" required pattern=\"[A-Za-z0-9_.\\-]{1,64}\"></p>");
        form.append("<p><label for=\"email\">Email (optional: a verified address, for email digests)</label><br>"
                + "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\"></p>");
        form.append("<fieldset><legend>Groups (the local stack's test users)</legend>");
        form.append("<p><label><input type=\"checkbox\" name=\"groups\" value=\"product\"> Product team (the console)</label></p>");
        form.append("<p><label><input type=\"checkbox\" name=\"groups\" value=\"moderator\"> Moderator</label></p>");
        form.append("</fieldset><p><button type=\"submit\">Sign in</button></p></form>");
        String body = (problem == null ? "" : "<p role=\"alert\">" + escape(problem) + "</p>")
                + "<p>The local stack's stand-in for Cognito's managed login: any username signs in, no password.</p>" + form;
        page(exchange, problem == null ? 200 : 400, "Sign in to Glint", body, originOf(request.get("redirect_uri")));
    }

    // --- token

    private void token(HttpExchange exchange) throws IOException {
        cors(exchange);
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("content-type")).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            tokenError(exchange, "invalid_request");
            return;
        }
        Map<String, List<String>> form = parse(new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8));
        if (form.values().stream().anyMatch(values -> values.size() != 1)) {
            tokenError(exchange, "invalid_request");
            return;
        }
        String grantType = first(form, "grant_type");
        String client = first(form, "client_id");
        if (grantType.isEmpty() || client.isEmpty()) {
            tokenError(exchange, "invalid_request");
            return;
        }
        if (!client.equals(clientId)) {
            tokenError(exchange, "invalid_client");
            return;
        }
        switch (grantType) {
            case "authorization_code" -> {
                String codeValue = first(form, "code");
                if (codeValue.isEmpty() || first(form, "redirect_uri").isEmpty()) {
                    tokenError(exchange, "invalid_request");
                    return;
                }
                // One use, whatever the outcome: a code whose verifier was wrong cannot be tried again.
                Code code = codes.remove(codeValue);
                if (code == null || !code.expires().isAfter(clock.instant()) || !code.clientId().equals(client)
                        || !code.redirectUri().equals(first(form, "redirect_uri"))
                        || !verifies(code.challenge(), first(form, "code_verifier"))) {
                    tokenError(exchange, "invalid_grant");
                    return;
                }
                String refresh = random();
                refreshTokens.put(refresh, new Refresh(code.grant(), client, clock.instant().plus(REFRESH_TTL)));
                tokens(exchange, code.grant(), Optional.of(refresh));
            }
            case "refresh_token" -> {
                Refresh refresh = refreshTokens.get(first(form, "refresh_token"));
                if (refresh == null || !refresh.expires().isAfter(clock.instant()) || !refresh.clientId().equals(client)) {
                    tokenError(exchange, "invalid_grant");
                    return;
                }
                tokens(exchange, refresh.grant(), Optional.empty());
            }
            default -> tokenError(exchange, "unsupported_grant_type");
        }
    }

    /** No challenge was given: nothing to prove (PKCE is optional for a public client); else the verifier's S256 must be it. */
    static boolean verifies(Optional<String> challenge, String verifier) {
        if (challenge.isEmpty()) {
            return true;
        }
        if (!PKCE.matcher(verifier).matches()) {
            return false;
        }
        return MessageDigest.isEqual(challenge.get().getBytes(StandardCharsets.US_ASCII),
                s256(verifier).getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 7636, 4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
    static String s256(String verifier) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void tokens(HttpExchange exchange, Grant grant, Optional<String> refresh) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id_token", issuer.issue(grant.username(), grant.groups(), grant.email(), TOKEN_TTL));
        out.put("access_token", issuer.issueAccess(grant.username(), grant.groups(), grant.scopes(), TOKEN_TTL));
        refresh.ifPresent(r -> out.put("refresh_token", r));
        out.put("expires_in", TOKEN_TTL.toSeconds());
        out.put("token_type", "Bearer");
        json(exchange, 200, out);
    }

    private void tokenError(HttpExchange exchange, String error) throws IOException {
        json(exchange, 400, Map.of("error", error));
    }

    /** The token endpoint is called with fetch from the page's origin; it carries no cookie, so any origin may read it. */
    private static void cors(HttpExchange exchange) {
        exchange.getResponseHeaders().set("access-control-allow-origin", "*");
    }

    // --- logout

    private void logout(HttpExchange exchange) throws IOException {
        Map<String, List<String>> params = parse(exchange.getRequestURI().getRawQuery());
        if (!clientId.equals(first(params, "client_id"))) {
            page(exchange, 400, "Sign-out failed", "client_id is missing or not an app client of this user pool (" + clientId + ").", null);
            return;
        }
        String logoutUri = first(params, "logout_uri");
        if (!allowedUrls.contains(logoutUri)) {
            page(exchange, 400, "Sign-out failed", "logout_uri is missing or not one of the app client's sign-out URLs ("
                    + String.join(", ", allowedUrls) + ").", null);
            return;
        }
        redirect(exchange, logoutUri);
    }

    // --- plumbing

    private static String state(Map<String, String> request) {
        return request.containsKey("state") ? "&state=" + URLEncoder.encode(request.get("state"), StandardCharsets.UTF_8) : "";
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                out.computeIfAbsent("", k -> new ArrayList<>()).add(pair);
            }
        }
        return out;
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("location", location);
        exchange.getResponseHeaders().set("cache-control", "no-store");
        exchange.sendResponseHeaders(302, -1);
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("content-type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().set("cache-control", "no-store");
        exchange.getResponseHeaders().set("pragma", "no-cache");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A small page with nothing inline but its markup; its form may post here and go on to the page that asked. */
    private static void page(HttpExchange exchange, int status, String title, String bodyHtml, String redirectOrigin) throws IOException {
        byte[] bytes = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title) + "</title></head>"
                + "<body><main><h1>" + escape(title) + "</h1>" + bodyHtml + "</main></body></html>").getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("content-type", "text/html; charset=utf-8");
        headers.set("cache-control", "no-store");
        // form-action covers the redirect that follows the post: the page that asked must be allowed too.
        headers.set("content-security-policy", "default-src 'none'; form-action 'self'" + (redirectOrigin == null ? "" : " " + redirectOrigin)
                + "; frame-ancestors 'none'; base-uri 'none'");
        headers.set("x-content-type-options", "nosniff");
        headers.set("referrer-policy", "no-referrer");
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** The origin of an allowed URL (one of the gateway's pages). */
    private static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
