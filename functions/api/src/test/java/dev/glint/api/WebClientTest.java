package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.config.GlintConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebClientTest {

    private static APIGatewayV2HTTPResponse get(String path) {
        return get(path, ApiHandlerTest.handler());
    }

    private static APIGatewayV2HTTPResponse get(String path, ApiHandler handler) {
        var event = APIGatewayV2HTTPEvent.builder().withRawPath(path).withHeaders(Map.of())
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("r-1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath(path).build())
                        .build())
                .build();
        return handler.handleRequest(event, LocalContext.forTest("api"));
    }

    /** The page's policy when the function runs with this configuration. */
    private static String policyFor(GlintConfig config) {
        return get("/", new ApiHandler(ApiHandlerTest.composition(List.of(), null,
                new RateLimiter(RateLimiter.Limits.WRITES), WebOrigins.of(config))))
                .getHeaders().get("content-security-policy");
    }

    /** Each directive of a policy with its sources. */
    private static Map<String, List<String>> directives(String policy) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String directive : policy.split(";")) {
            List<String> words = List.of(directive.trim().split("\\s+"));
            out.put(words.get(0), words.subList(1, words.size()));
        }
        return out;
    }

    /** The files a page loads: its scripts' src and its style sheets' href. */
    private static List<String> filesOf(String page) {
        List<String> files = new java.util.ArrayList<>();
        Matcher references = Pattern.compile("<(?:script|link)\\b[^>]*\\b(?:src|href)=\"([^\"]+)\"").matcher(page);
        while (references.find()) {
            files.add(references.group(1));
        }
        return files;
    }

    private static final String LOCAL_POLICY_SOURCES = "img-src 'self' https://glint-beta-media-4d5e6f.s3.eu-west-1.amazonaws.com; "
            + "connect-src 'self' https://glint-beta-uploads-1a2b3c.s3.eu-west-1.amazonaws.com; ";

    @Test
    void thePageCarriesEveryHeaderABrowserNeedsToKeepItSafe() {
        APIGatewayV2HTTPResponse response = get("/");

        Map<String, String> expected = new TreeMap<>(Map.of(
                "content-type", "text/html; charset=utf-8",
                "cache-control", "no-cache",
                "x-content-type-options", "nosniff",
                "referrer-policy", "no-referrer",
                "strict-transport-security", "max-age=63072000; includeSubDomains",
                "permissions-policy", "accelerometer=(), autoplay=(), bluetooth=(), browsing-topics=(), camera=(), "
                        + "display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), "
                        + "idle-detection=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), "
                        + "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
                        + "web-share=(), xr-spatial-tracking=()",
                "cross-origin-opener-policy", "same-origin",
                "content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                        + LOCAL_POLICY_SOURCES + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
                "x-request-id", "r-1",
                "x-glint-version", "7"));
        assertEquals(200, response.getStatusCode());
        assertEquals(expected, new TreeMap<>(response.getHeaders()));
    }

    @Test
    void aDeployedStagesPolicyNamesItsOwnBucketsAndNothingWider() {
        GlintConfig virginia = new GlintConfig("us-east-1", "glint-prod", "glint-prod-uploads-9z8y", "glint-prod-media-7x6w",
                "https://sqs.us-east-1.amazonaws.com/1/m", "https://sqs.us-east-1.amazonaws.com/1/f",
                GlintConfig.Endpoints.aws(), GlintConfig.DEFAULT_CELEBRITY_THRESHOLD);
        for (GlintConfig config : List.of(ApiHandlerTest.DEPLOYED, virginia)) {
            String policy = policyFor(config);
            Map<String, List<String>> directives = directives(policy);
            String host = config.region().equals("us-east-1") ? "s3.amazonaws.com" : "s3." + config.region() + ".amazonaws.com";

            assertEquals(List.of("'self'", "https://" + config.uploadsBucket() + "." + host), directives.get("connect-src"), policy);
            assertEquals(List.of("'self'", "https://" + config.mediaBucket() + "." + host), directives.get("img-src"), policy);
            for (String source : directives.values().stream().flatMap(List::stream).toList()) {
                assertFalse(source.equals("https:") || source.equals("http:") || source.contains("*"), source + " in " + policy);
                assertFalse(source.contains("localhost") || source.contains("127.0.0.1") || source.startsWith("http:"),
                        source + " in " + policy);
            }
        }
    }

    @Test
    void aLocalStacksPolicyNamesItsS3EndpointOnly() {
        GlintConfig local = new GlintConfig("us-east-1", "t", "glint-local-uploads", "glint-local-media", "http://127.0.0.1:9324/q/m",
                "http://127.0.0.1:9324/q/f", new GlintConfig.Endpoints(Optional.of(URI.create("http://127.0.0.1:8000")),
                Optional.of(URI.create("http://127.0.0.1:9324")), Optional.of(URI.create("http://127.0.0.1:45678"))),
                GlintConfig.DEFAULT_CELEBRITY_THRESHOLD);

        Map<String, List<String>> directives = directives(policyFor(local));

        assertEquals(List.of("'self'", "http://127.0.0.1:45678"), directives.get("connect-src"));
        assertEquals(List.of("'self'", "http://127.0.0.1:45678"), directives.get("img-src"));
    }

    @Test
    void thePolicyNamesTheManagedLoginAndTheSocketWhenTheStageHasThem() {
        WebConfig web = WebConfig.fromEnv(Map.of(
                "GLINT_WEB_SIGN_IN_URL", "https://glint-beta.auth.eu-west-1.amazoncognito.com",
                "GLINT_WEB_CLIENT_ID", "4l2k3j4h5g6f7d8s9a0q1w2e3r",
                "GLINT_WEB_REALTIME_URL", "wss://abc123.execute-api.eu-west-1.amazonaws.com/live"));
        ApiHandler handler = new ApiHandler(ApiHandlerTest.composition(List.of(), null,
                new RateLimiter(RateLimiter.Limits.WRITES), WebOrigins.of(ApiHandlerTest.DEPLOYED), web));

        Map<String, List<String>> directives = directives(get("/", handler).getHeaders().get("content-security-policy"));

        assertEquals(List.of("'self'", "https://glint-beta-uploads-1a2b3c.s3.eu-west-1.amazonaws.com",
                "https://glint-beta.auth.eu-west-1.amazoncognito.com", "wss://abc123.execute-api.eu-west-1.amazonaws.com"),
                directives.get("connect-src"));
        assertEquals(List.of("'none'"), directives.get("form-action"));
    }

    @Test
    void configJsonTellsThePageHowToSignInAndWhereTheSocketIs() throws Exception {
        WebConfig web = WebConfig.fromEnv(Map.of(
                "GLINT_WEB_SIGN_IN_URL", "http://127.0.0.1:41234",
                "GLINT_WEB_CLIENT_ID", "glint-local-client",
                "GLINT_WEB_REALTIME_URL", "ws://127.0.0.1:41235/ws",
                "GLINT_WEB_DEV_SIGN_IN", "true"));
        ApiHandler handler = new ApiHandler(ApiHandlerTest.composition(List.of(), null,
                new RateLimiter(RateLimiter.Limits.WRITES), WebOrigins.of(ApiHandlerTest.DEPLOYED), web));

        APIGatewayV2HTTPResponse response = get("/config.json", handler);

        assertEquals(200, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("content-type"));
        assertEquals("no-cache", response.getHeaders().get("cache-control"));
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"signIn": {"devIssuer": true, "managed": {"url": "http://127.0.0.1:41234", "clientId": "glint-local-client",
                 "scopes": ["openid", "email", "profile"]}}, "realtimeUrl": "ws://127.0.0.1:41235/ws"}"""),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody()));
    }

    @Test
    void configJsonOfAStageWithNothingSetOffersNoSignInAndNoSocket() {
        APIGatewayV2HTTPResponse response = get("/config.json");

        assertEquals(200, response.getStatusCode());
        assertEquals("{\"signIn\":{\"devIssuer\":false,\"managed\":null},\"realtimeUrl\":null}", response.getBody());
    }

    @Test
    void thePagesLoadOnlyTheirOwnFilesAndHoldNothingInline() {
        for (String path : List.of("/", "/console")) {
            APIGatewayV2HTTPResponse response = get(path);
            String page = response.getBody();

            assertEquals(200, response.getStatusCode(), path);
            assertEquals("text/html; charset=utf-8", response.getHeaders().get("content-type"), path);
            String policy = response.getHeaders().get("content-security-policy");
            assertTrue(policy.startsWith("default-src 'none'; script-src 'self'; style-src 'self';"), policy);
            assertFalse(policy.contains("unsafe-inline") || policy.contains("sha256-"), policy);
            // An inline script, style element or style attribute would be refused by that policy.
            assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find(), path + ": an inline script\n" + page);
            assertFalse(Pattern.compile("<style|\\sstyle=").matcher(page).find(), path + ": an inline style\n" + page);
            List<String> files = filesOf(page);
            assertFalse(files.isEmpty(), path + " loads its style sheet at least");
            for (String file : files) {
                assertTrue(file.matches("/assets/[A-Za-z0-9_.-]+"), path + " loads " + file + ", not one of its own assets");
                APIGatewayV2HTTPResponse asset = get(file);
                assertEquals(200, asset.getStatusCode(), file);
                assertEquals("public, max-age=31536000, immutable", asset.getHeaders().get("cache-control"), file);
                assertEquals(file.endsWith(".js") ? "text/javascript; charset=utf-8"
                                : file.endsWith(".svg") ? "image/svg+xml" : "text/css; charset=utf-8",
                        asset.getHeaders().get("content-type"), file);
                assertEquals(policy, asset.getHeaders().get("content-security-policy"), file);
                assertEquals("nosniff", asset.getHeaders().get("x-content-type-options"), file);
            }
        }
        assertTrue(filesOf(get("/").getBody()).stream().anyMatch(file -> file.endsWith(".js")), "the app has its script");
    }

    @Test
    void theConsoleIsAPageForTheProductGroup() {
        APIGatewayV2HTTPResponse response = get("/console");

        assertEquals(200, response.getStatusCode());
        assertTrue(response.getBody().contains("<title>Glint console</title>"), response.getBody());
        assertTrue(response.getBody().contains("product group"), response.getBody());
    }

    @Test
    void anUnknownAssetIs404() {
        for (String path : List.of("/assets/nope.js", "/assets/index.html", "/assets/..", "/assets/%2e%2e%2fassets.txt")) {
            APIGatewayV2HTTPResponse response = get(path);

            assertEquals(404, response.getStatusCode(), path);
            assertTrue(response.getBody().contains("\"asset_not_found\""), path + ": " + response.getBody());
        }
        assertEquals(404, get("/assets/").getStatusCode());
    }

    @Test
    void everyApiPathTheClientCallsIsADocumentedRoute() {
        String document = OpenApi.document();
        Set<String> documented = new TreeSet<>();
        Matcher paths = Pattern.compile("(?m)^  (/[^:]*):").matcher(document);
        while (paths.find()) {
            documented.add(paths.group(1));
        }
        int checked = 0;
        for (String file : filesOf(get("/").getBody())) {
            // Minified, a string may be in double quotes, single quotes or backticks.
            Matcher calls = Pattern.compile("[\"'`](/v1/[^\"'`?$]*)").matcher(get(file).getBody());
            while (calls.find()) {
                String prefix = calls.group(1);
                if (prefix.equals("/v1/dev/token")) {
                    continue; // the local stack's sign-in, which the deployed API never has
                }
                assertTrue(documented.stream().anyMatch(p -> p.startsWith(prefix)), prefix + " is not in " + documented);
                checked++;
            }
        }
        assertTrue(checked >= 8, "the client calls the API: " + checked);
    }
}
