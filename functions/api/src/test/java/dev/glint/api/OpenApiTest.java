package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The served OpenAPI document describes exactly the routes the handler serves. */
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(OpenApi.document());
        Set<String> documented = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));

        Set<String> served = new TreeSet<>(ApiHandlerTest.handler().routeKeys());

        assertEquals(served, documented);
    }

    @Test
    void theDocumentIsServedAsYaml() {
        APIGatewayV2HTTPEvent event = SampleEvents.load("api/health.json", APIGatewayV2HTTPEvent.class);
        event.setRawPath("/openapi.yaml");

        var response = ApiHandlerTest.handler().handleRequest(event, LocalContext.forTest("api"));

        assertEquals(200, response.getStatusCode());
        assertEquals("application/yaml", response.getHeaders().get("content-type"));
        assertEquals(OpenApi.document(), response.getBody());
    }
}
