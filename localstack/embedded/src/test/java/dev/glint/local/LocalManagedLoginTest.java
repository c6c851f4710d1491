package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalManagedLoginTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = "http://localhost:8080/";
    /** RFC 7636, appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
    private LocalJwtIssuer issuer;
    private LocalManagedLogin login;

    @BeforeEach
    void start() throws Exception {
        issuer = LocalJwtIssuer.create(null, "glint-local", clock);
        login = new LocalManagedLogin(issuer, clock);
        login.allow(List.of(PAGE));
    }

    @AfterEach
    void stop() {
        login.close();
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(login.endpoint() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(login.endpoint() + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> authorizeParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", LocalJwtIssuer.AUDIENCE);
        params.put("redirect_uri", PAGE);
        params.put("state", "s-42/x");
        params.put("scope", "openid email profile");
        params.put("code_challenge", CHALLENGE);
        params.put("code_challenge_method", "S256");
        return params;
    }

    /** Signs in as the sign-in page's form would post, and returns the code the redirect carries. */
    private String code(String username, String... groups) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>(authorizeParams());
        fields.put("username", username);
        String body = form(fields) + java.util.Arrays.stream(groups).map(g -> "&groups=" + g).collect(Collectors.joining());
        HttpResponse<String> redirect = post("/login", body);
        assertEquals(302, redirect.statusCode(), redirect.body());
        String location = redirect.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith(PAGE + "?code="), location);
        assertTrue(location.endsWith("&state=s-42%2Fx"), location);
        return location.substring((PAGE + "?code=").length(), location.indexOf("&state="));
    }

    private HttpResponse<String> exchange(String code, String clientId, String redirectUri, String verifier) throws Exception {
        return post("/oauth2/token", form(Map.of("grant_type", "authorization_code", "code", code, "client_id", clientId,
                "redirect_uri", redirectUri, "code_verifier", verifier)));
    }

    private static String error(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("error").asText();
    }

    @Test
    void theS256ChallengeIsRfc7636sTestVector() {
        assertEquals(CHALLENGE, LocalManagedLogin.s256(VERIFIER));
        assertTrue(LocalManagedLogin.verifies(java.util.Optional.of(CHALLENGE), VERIFIER));
        assertFalse(LocalManagedLogin.verifies(java.util.Optional.of(CHALLENGE), VERIFIER.replace('d', 'e')));
    }

    @Test
    void theSignInPageHasALabelledUsernameAndTheGroupsAndPostsBackWithTheRequest() throws Exception {
        HttpResponse<String> page = get("/oauth2/authorize?" + form(authorizeParams()));

        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("<label for=\"username\">Username</label>"), html);
        assertTrue(html.contains("value=\"product\"> Product team (the console)</label>"), html);
        assertTrue(html.contains("name=\"state\" value=\"s-42/x\""), html);
        assertTrue(html.contains("name=\"code_challenge\" value=\"" + CHALLENGE + "\""), html);
        assertEquals("default-src 'none'; form-action 'self' http://localhost:8080; frame-ancestors 'none'; base-uri 'none'",
                page.headers().firstValue("content-security-policy").orElseThrow());
    }

    @Test
    void aCodeWithItsVerifierGivesCognitosTokensAndTheRefreshTokenGivesNewOnes() throws Exception {
        HttpResponse<String> answer = exchange(code("alice", "product"), LocalJwtIssuer.AUDIENCE, PAGE, VERIFIER);

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("*", answer.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals("no-store", answer.headers().firstValue("cache-control").orElseThrow());
        JsonNode tokens = JSON.readTree(answer.body());
        assertEquals(List.of("id_token", "access_token", "refresh_token", "expires_in", "token_type"),
                iterable(tokens.fieldNames()));
        assertEquals("Bearer", tokens.path("token_type").asText());
        assertEquals(3600, tokens.path("expires_in").asInt());
        Map<String, String> claims = issuer.verify(tokens.path("id_token").asText()).orElseThrow();
        assertEquals("alice", claims.get("cognito:username"));
        assertEquals("[product]", claims.get("cognito:groups"));
        assertEquals("id", claims.get("token_use"));

        clock.advance(Duration.ofMinutes(50));
        HttpResponse<String> refreshed = post("/oauth2/token", form(Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.path("refresh_token").asText(), "client_id", LocalJwtIssuer.AUDIENCE)));

        assertEquals(200, refreshed.statusCode(), refreshed.body());
        JsonNode again = JSON.readTree(refreshed.body());
        assertFalse(again.has("refresh_token"), "Cognito keeps the refresh token it gave");
        Map<String, String> later = issuer.verify(again.path("id_token").asText()).orElseThrow();
        assertEquals(Long.toString(clock.instant().getEpochSecond() + 3600), later.get("exp"));
    }

    @Test
    void aWrongVerifierIsInvalidGrantAndTheCodeIsSpent() throws Exception {
        String code = code("alice");

        assertEquals("invalid_grant", error(exchange(code, LocalJwtIssuer.AUDIENCE, PAGE, VERIFIER.replace('d', 'e'))));
        assertEquals("invalid_grant", error(exchange(code, LocalJwtIssuer.AUDIENCE, PAGE, VERIFIER)));
    }

    @Test
    void aCodeIsGoodOnce() throws Exception {
        String code = code("alice");

        assertEquals(200, exchange(code, LocalJwtIssuer.AUDIENCE, PAGE, VERIFIER).statusCode());
        assertEquals("invalid_grant", error(exchange(code, LocalJwtIssuer.AUDIENCE, PAGE, VERIFIER)));
    }

    @Test
    void aCodeIsGoodForFiveMinutes() throws Exception {
        String code = code("alice");
        clock.advance(Duration.ofMinutes(5));

        assertEquals("invalid_grant", error(exchange(code, LocalJwtIssuer.AUDIENCE, PAGE, VERIFIER)));
    }

    @Test
    void aCodeIsGoodOnlyForTheRedirectUriItWasGivenTo() throws Exception {
        assertEquals("invalid_grant", error(exchange(code("alice"), LocalJwtIssuer.AUDIENCE, "http://127.0.0.1:8080/", VERIFIER)));
    }

    @Test
    void anotherClientIsInvalidClient() throws Exception {
        assertEquals("invalid_client", error(exchange(code("alice"), "someone-else", PAGE, VERIFIER)));
        assertEquals("invalid_client", error(post("/oauth2/token", form(Map.of("grant_type", "refresh_token",
                "refresh_token", "x", "client_id", "someone-else")))));
    }

    @Test
    void malformedTokenRequestsSayWhatCognitoSays() throws Exception {
        assertEquals("invalid_request", error(post("/oauth2/token", form(Map.of("grant_type", "authorization_code",
                "client_id", LocalJwtIssuer.AUDIENCE, "redirect_uri", PAGE)))));
        assertEquals("unsupported_grant_type", error(post("/oauth2/token", form(Map.of("grant_type", "password",
                "client_id", LocalJwtIssuer.AUDIENCE)))));
        assertEquals("invalid_grant", error(post("/oauth2/token", form(Map.of("grant_type", "refresh_token",
                "refresh_token", "made-up", "client_id", LocalJwtIssuer.AUDIENCE)))));
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(login.endpoint() + "/oauth2/token"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("invalid_request", error(json));
    }

    @Test
    void anUnknownClientOrRedirectUriGetsAnErrorPageAndNoRedirect() throws Exception {
        Map<String, String> wrongClient = new LinkedHashMap<>(authorizeParams());
        wrongClient.put("client_id", "someone-else");
        Map<String, String> wrongRedirect = new LinkedHashMap<>(authorizeParams());
        wrongRedirect.put("redirect_uri", "https://evil.example/");

        for (Map<String, String> params : List.of(wrongClient, wrongRedirect)) {
            HttpResponse<String> page = get("/oauth2/authorize?" + form(params));
            assertEquals(400, page.statusCode(), params.toString());
            assertTrue(page.headers().firstValue("location").isEmpty());
            assertTrue(page.body().contains("Sign-in failed"), page.body());
        }
    }

    @Test
    void whatThePageCanFixGoesBackToItAsAnError() throws Exception {
        Map<String, String> plain = new LinkedHashMap<>(authorizeParams());
        plain.put("code_challenge_method", "plain");

        HttpResponse<String> redirect = get("/oauth2/authorize?" + form(plain));

        assertEquals(302, redirect.statusCode());
        assertEquals(PAGE + "?error=invalid_request&state=s-42%2Fx", redirect.headers().firstValue("location").orElseThrow());
    }

    @Test
    void signOutRedirectsOnlyToTheClientsSignOutUrls() throws Exception {
        HttpResponse<String> out = get("/logout?" + form(Map.of("client_id", LocalJwtIssuer.AUDIENCE, "logout_uri", PAGE)));
        assertEquals(302, out.statusCode());
        assertEquals(PAGE, out.headers().firstValue("location").orElseThrow());

        HttpResponse<String> elsewhere = get("/logout?" + form(Map.of("client_id", LocalJwtIssuer.AUDIENCE, "logout_uri", "https://evil.example/")));
        assertEquals(400, elsewhere.statusCode());
        assertTrue(elsewhere.headers().firstValue("location").isEmpty());
    }

    @Test
    void aRebindingPageIsMisdirected() throws Exception {
        RawHttp.Response response = RawHttp.send(login.endpoint(), "GET", ("/oauth2/authorize?" + form(authorizeParams()))
                .getBytes(StandardCharsets.US_ASCII), List.of(Map.entry("Host", "attacker.example:" + login.endpoint().getPort())), null);

        assertEquals(421, response.status());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
