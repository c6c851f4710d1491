package dev.glint.local;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's contract, checked on every exchange the tests' {@link ApiClient} makes: each response
 * against {@code openapi.yaml} (its status documented for the operation, its headers and body in the
 * documented shape), and each request the API accepted (below 400) too, with Atlassian's
 * swagger-request-validator. A drift either way fails the test that made the exchange.
 *
 * <p>Not checked: the local stack's own routes ({@code /v1/dev/token}, {@code /.well-known/jwks.json}),
 * answers of the local gateway alone ({@code 421} for a foreign {@code Host}), and requests the API
 * refused (a bad request need not match the document; its answer still must). The count of exchanges
 * checked in a JVM is printed when it ends and written to {@code target/openapi-exchanges.txt}.
 */
final class OpenApiContract {

    private static final Set<String> LOCAL_ONLY = Set.of("/v1/dev/token", "/.well-known/jwks.json");
    private static final Set<String> NOT_AN_OPERATION = Set.of("validation.request.path.missing",
            "validation.response.path.missing", "validation.request.operation.notAllowed",
            "validation.response.operation.notAllowed");
    private static final OpenApiInteractionValidator VALIDATOR =
            OpenApiInteractionValidator.createForInlineApiSpecification(document()).build();

    private static final AtomicLong RESPONSES = new AtomicLong();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong OFF_DOCUMENT = new AtomicLong();
    private static final AtomicLong SKIPPED = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(OpenApiContract::report, "openapi-contract-report"));
    }

    private OpenApiContract() {
    }

    /** Checks one exchange; an {@link AssertionError} names every difference from the document. */
    static void check(String method, URI uri, Map<String, String> requestHeaders, byte[] requestBody,
                      HttpResponse<String> response) {
        String path = uri.getRawPath();
        if (LOCAL_ONLY.contains(path) || response.statusCode() == 421) {
            SKIPPED.incrementAndGet();
            return;
        }
        Request.Method verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        SimpleResponse.Builder answer = new SimpleResponse.Builder(response.statusCode());
        response.headers().map().forEach(answer::withHeader);
        if (response.body() != null && !response.body().isEmpty()) {
            answer.withBody(response.body());
        }
        ValidationReport responseReport = VALIDATOR.validateResponse(path, verb, answer.build());
        if (responseReport.getMessages().stream().anyMatch(m -> NOT_AN_OPERATION.contains(m.getKey()))) {
            // No such operation: the API must say so (404, or 405 for a known path), as the document implies.
            if (response.statusCode() != 404 && response.statusCode() != 405) {
                throw new AssertionError(method + " " + path + " is not in openapi.yaml, yet answered "
                        + response.statusCode() + ": " + response.body());
            }
            OFF_DOCUMENT.incrementAndGet();
            return;
        }
        fail("response", method, uri, response, responseReport);
        RESPONSES.incrementAndGet();
        if (response.statusCode() >= 400) {
            return;
        }
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        requestHeaders.forEach(request::withHeader);
        query(uri).forEach(request::withQueryParam);
        if (requestBody != null && requestBody.length > 0) {
            request.withBody(requestBody);
        }
        fail("request", method, uri, response, VALIDATOR.validateRequest(request.build()));
        REQUESTS.incrementAndGet();
    }

    private static void fail(String what, String method, URI uri, HttpResponse<String> response, ValidationReport report) {
        if (report.hasErrors()) {
            throw new AssertionError("the " + what + " of " + method + " " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " (answered " + response.statusCode()
                    + ") does not match openapi.yaml:\n" + SimpleValidationReportFormat.getInstance().apply(report)
                    + "\nbody: " + response.body());
        }
    }

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (uri.getRawQuery() == null || uri.getRawQuery().isEmpty()) {
            return params;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /**
     * The document: the api module's {@code openapi.yaml} in this tree (the file its jar serves), or the
     * jar's copy when the tests run outside the tree.
     */
    private static String document() {
        Path source = Path.of("..", "..", "functions", "api", "src", "main", "resources", "openapi.yaml");
        if (Files.isRegularFile(source)) {
            try {
                return Files.readString(source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the test classpath (the api jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long responsesChecked() {
        return RESPONSES.get();
    }

    private static void report() {
        String line = String.format("openapi.yaml contract: %d responses and %d accepted requests validated; "
                        + "%d exchanges off the document (404/405 for routes it does not have); %d local-only exchanges not checked",
                RESPONSES.get(), REQUESTS.get(), OFF_DOCUMENT.get(), SKIPPED.get());
        System.out.println(line);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "openapi-exchanges.txt"), line + "\n");
        } catch (IOException e) {
            System.err.println("could not write target/openapi-exchanges.txt: " + e);
        }
    }
}
