package dev.glint.local;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract check fails on what the document does not say, and passes what it does. */
class OpenApiContractTest {

    private static final URI BASE = URI.create("http://127.0.0.1:8080");
    private static final Map<String, String> TOKEN = Map.of("Authorization", "Bearer x.y.z");
    private static final String PROFILE = "{\"id\":\"u1\",\"handle\":\"alice\",\"displayName\":\"Alice\",\"bio\":\"\","
            + "\"followers\":0,\"following\":0,\"posts\":0,\"createdAt\":\"2026-11-22T08:00:00Z\"}";

    private record Answer(int statusCode, String body, HttpHeaders headers) implements HttpResponse<String> {
        static Answer json(int status, String body) {
            return new Answer(status, body, HttpHeaders.of(Map.of("content-type", List.of("application/json")), (a, b) -> true));
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return BASE;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    @Test
    void aDocumentedAnswerPasses() {
        assertDoesNotThrow(() -> OpenApiContract.check("GET", BASE.resolve("/v1/me"), TOKEN, null, Answer.json(200, PROFILE)));
        assertDoesNotThrow(() -> OpenApiContract.check("GET", BASE.resolve("/v1/me"), TOKEN, null,
                Answer.json(404, "{\"error\":{\"code\":\"profile_not_found\",\"message\":\"Make one.\"}}")));
    }

    @Test
    void aStatusTheOperationDoesNotDocumentFails() {
        AssertionError drift = assertThrows(AssertionError.class, () -> OpenApiContract.check("GET", BASE.resolve("/v1/me"),
                TOKEN, null, Answer.json(409, "{\"error\":{\"code\":\"x\",\"message\":\"y\"}}")));
        assertTrue(drift.getMessage().contains("409"), drift.getMessage());
    }

    @Test
    void aBodyOfAnotherShapeFails() {
        assertThrows(AssertionError.class, () -> OpenApiContract.check("GET", BASE.resolve("/v1/me"), TOKEN, null,
                Answer.json(200, PROFILE.replace("\"followers\":0", "\"followers\":\"none\""))));
        assertThrows(AssertionError.class, () -> OpenApiContract.check("GET", BASE.resolve("/v1/me"), TOKEN, null,
                Answer.json(400, "{\"message\":\"not Glint's error shape\"}")));
    }

    @Test
    void anAcceptedRequestTheDocumentWouldRefuseFails() {
        byte[] unknownField = "{\"handle\":\"alice\",\"admin\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Authorization", "Bearer x.y.z", "Content-Type", "application/json");

        assertThrows(AssertionError.class, () -> OpenApiContract.check("PUT", BASE.resolve("/v1/me"), headers, unknownField,
                Answer.json(200, PROFILE)));
        // Refused, it need not match: only the answer is held to the document.
        assertDoesNotThrow(() -> OpenApiContract.check("PUT", BASE.resolve("/v1/me"), headers, unknownField,
                Answer.json(400, "{\"error\":{\"code\":\"unknown_field\",\"message\":\"Unknown field(s) [admin].\"}}")));
    }

    @Test
    void aRouteOutsideTheDocumentMustBeA404Or405() {
        assertDoesNotThrow(() -> OpenApiContract.check("GET", BASE.resolve("/v1/nothing"), TOKEN, null,
                Answer.json(404, "{\"error\":{\"code\":\"route_not_found\",\"message\":\"No.\"}}")));
        assertThrows(AssertionError.class, () -> OpenApiContract.check("GET", BASE.resolve("/v1/nothing"), TOKEN, null,
                Answer.json(200, "{}")));
    }
}
