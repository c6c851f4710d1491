package dev.glint.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The OpenAPI description of the routes, served at {@code /openapi.yaml}; a test keeps it equal to the router. */
final class OpenApi {

    static final String RESOURCE = "/openapi.yaml";

    private OpenApi() {
    }

    static String document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the function jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse response(String document) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/yaml");
        headers.put("cache-control", "public, max-age=300");
        return new HttpResponse(200, headers, document);
    }
}
