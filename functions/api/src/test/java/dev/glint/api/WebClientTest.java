package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.lambda.LocalContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebClientTest {

    private static APIGatewayV2HTTPResponse get(String path) {
        var event = APIGatewayV2HTTPEvent.builder().withRawPath(path).withHeaders(Map.of())
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("r-1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath(path).build())
                        .build())
                .build();
        return ApiHandlerTest.handler().handleRequest(event, LocalContext.forTest("api"));
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
