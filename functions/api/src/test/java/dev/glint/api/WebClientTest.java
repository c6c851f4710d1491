package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.config.GlintConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
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

    private static String sha256(String page, String element) throws Exception {
        Matcher block = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(page);
        assertTrue(block.find(), element);
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(block.group(1).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void thePageCarriesEveryHeaderABrowserNeedsToKeepItSafe() throws Exception {
        APIGatewayV2HTTPResponse response = get("/");
        String page = response.getBody();

        Map<String, String> expected = new TreeMap<>(Map.of(
                "content-type", "text/html; charset=utf-8",
                "cache-control", "public, max-age=300",
                "x-content-type-options", "nosniff",
                "referrer-policy", "no-referrer",
                "strict-transport-security", "max-age=63072000; includeSubDomains",
                "permissions-policy", "accelerometer=(), autoplay=(), bluetooth=(), browsing-topics=(), camera=(), "
                        + "display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), "
                        + "idle-detection=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), "
                        + "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
                        + "web-share=(), xr-spatial-tracking=()",
                "cross-origin-opener-policy", "same-origin",
                "content-security-policy", "default-src 'none'; script-src 'sha256-" + sha256(page, "script")
                        + "'; style-src 'sha256-" + sha256(page, "style") + "'; "
                        + "img-src https://glint-beta-media-4d5e6f.s3.eu-west-1.amazonaws.com; "
                        + "connect-src 'self' https://glint-beta-uploads-1a2b3c.s3.eu-west-1.amazonaws.com; "
                        + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
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
            assertEquals(List.of("https://" + config.mediaBucket() + "." + host), directives.get("img-src"), policy);
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
        assertEquals(List.of("http://127.0.0.1:45678"), directives.get("img-src"));
    }

    @Test
    void thePageIsServedAtTheRootWithAPolicyThatAllowsOnlyItsOwnScript() throws Exception {
        APIGatewayV2HTTPResponse response = get("/");

        assertEquals(200, response.getStatusCode());
        assertEquals("text/html; charset=utf-8", response.getHeaders().get("content-type"));
        String page = response.getBody();
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertTrue(script.find());
        String digest = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
        String policy = response.getHeaders().get("content-security-policy");
        assertTrue(policy.contains("script-src 'sha256-" + digest + "'"), policy);
        assertTrue(policy.startsWith("default-src 'none'"), policy);
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertFalse(page.contains("innerHTML"), "the page writes text, never markup, so no content can inject script");
    }

    @Test
    void everyApiPathThePageCallsIsADocumentedRoute() {
        String page = get("/").getBody();
        String document = OpenApi.document();
        Set<String> documented = new TreeSet<>();
        Matcher paths = Pattern.compile("(?m)^  (/[^:]*):").matcher(document);
        while (paths.find()) {
            documented.add(paths.group(1));
        }
        Matcher calls = Pattern.compile("\"(/v1/[^\"?]*)").matcher(page);
        int checked = 0;
        while (calls.find()) {
            String prefix = calls.group(1);
            if (prefix.equals("/v1/dev/token")) {
                continue; // the local stack's sign-in, which the deployed API never has
            }
            assertTrue(documented.stream().anyMatch(p -> p.startsWith(prefix)), prefix + " is not in " + documented);
            checked++;
        }
        assertTrue(checked >= 8, "the page calls the API: " + checked);
    }
}
