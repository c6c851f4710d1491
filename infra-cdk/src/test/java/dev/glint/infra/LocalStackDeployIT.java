package dev.glint.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The LocalStack target end to end: LocalStack (the image of localstack/localstack-pro/docker-compose.yml) in a
 * container, the dev stage deployed into it by localstack/localstack-pro/deploy.sh (cdklocal), and the API called
 * over HTTP. Skipped, saying why, where no Docker engine runs or no LocalStack auth token is set.
 */
class LocalStackDeployIT {

    private static final Path ROOT = GlintApp.repositoryRoot();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStackContainer localStack;
    private static URI api;
    private static URI preview;

    /** Why these tests cannot run here, or null. */
    private static String skipReason;

    @BeforeAll
    static void deployTheDevStage() throws Exception {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (!dockerRuns()) {
            skipReason = "No Docker engine runs here: LocalStack (and the Lambda containers it starts) need one. "
                    + "The CDK tests still check every template offline.";
        } else if (token == null || token.isBlank()) {
            skipReason = "LOCALSTACK_AUTH_TOKEN is not set: the dev stage needs LocalStack's HTTP API and Cognito "
                    + "emulation, which need an auth token (see infra-cdk/README.md).";
        }
        if (skipReason != null) {
            System.err.println("LocalStackDeployIT skipped: " + skipReason);
            return;
        }

        localStack = new LocalStackContainer(DockerImageName.parse(composeImage()))
                .withEnv("LOCALSTACK_AUTH_TOKEN", token)
                .withEnv("LAMBDA_IGNORE_ARCHITECTURE", "1")
                // The container mounts the Docker socket itself: LocalStack runs each function in a container.
                .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "60");
        localStack.start();

        String output = run(ROOT.resolve("localstack/localstack-pro/deploy.sh").toString(), "deploy");
        api = URI.create(line(output, "API URL: (\\S+)"));
        preview = URI.create(line(output, "Preview URL: (\\S+)"));
    }

    /** Each test reports the skip and its reason (a class-level skip is reported as no tests at all). */
    @BeforeEach
    void runsOnlyWhereLocalStackCan() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stop() {
        if (localStack != null) {
            localStack.stop();
        }
    }

    @Test
    void theLiveApiAnswersHealthFromAPublishedVersion() throws Exception {
        HttpResponse<String> response = get(api.resolve("health"), Map.of());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("ok", body.path("status").asText(), response.body());
        // Served through the live alias: a version number, never $LATEST.
        assertTrue(response.headers().firstValue("x-glint-version").orElse("").matches("\\d+"), response.headers().map().toString());
    }

    @Test
    void routesOtherThanThePublicOnesRefuseRequestsWithoutAToken() throws Exception {
        HttpResponse<String> response = get(api.resolve("v1/me"), Map.of());

        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    void thePreviewApiServesTheNewestVersion() throws Exception {
        HttpResponse<String> live = get(api.resolve("health"), Map.of());
        HttpResponse<String> newest = get(preview.resolve("health"), Map.of());

        assertEquals(200, newest.statusCode(), newest.body());
        assertEquals(live.headers().firstValue("x-glint-version"), newest.headers().firstValue("x-glint-version"));
    }

    private static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Testcontainers asks the Docker client; any failure to reach an engine means none runs. */
    private static boolean dockerRuns() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The LocalStack image pinned in localstack/localstack-pro/docker-compose.yml: one place says which LocalStack Glint uses. */
    static String composeImage() throws IOException {
        Matcher image = Pattern.compile("(?m)^\\s*image:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(ROOT.resolve("localstack/localstack-pro/docker-compose.yml")));
        if (!image.find()) {
            throw new IllegalStateException("localstack/localstack-pro/docker-compose.yml names no image");
        }
        return image.group(1);
    }

    private static String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("LOCALSTACK_ENDPOINT", localStack.getEndpoint().toString());
        builder.environment().put("AWS_REGION", localStack.getRegion());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.MINUTES), "deploy.sh did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static String line(String output, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(output);
        assertTrue(matcher.find(), "no line like '" + pattern + "' in:\n" + output);
        return matcher.group(1);
    }
}
