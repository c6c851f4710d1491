package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./glint invoke}: each function's shaded jar, in a fresh JVM with only the environment a
 * deployment would give it, handles a sample event against a running local stack.
 */
class InvokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("glint.events.dir", "../events")).getParent();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;

    private static JsonNode invoke(String function, String event) throws Exception {
        return invoke(function, event, 0);
    }

    private static JsonNode invoke(String function, String event, int exitCode) throws Exception {
        String classpath = ROOT.resolve("localstack/embedded/target/classes") + File.pathSeparator
                + Files.readString(ROOT.resolve("localstack/embedded/target/classpath.txt")).trim();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglint.root=" + ROOT, "-cp", classpath, "dev.glint.local.Invoke", function,
                ROOT.resolve("events").resolve(event).toString());
        builder.environment().clear();
        builder.environment().putAll(stack.functionEnvironment());
        builder.redirectErrorStream(false);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "invoke did not finish");
        assertEquals(exitCode, process.exitValue(), err);
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
        // Structured log lines come first; the response is the last line.
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void apiJarAnswersHealthFromTheStack() throws Exception {
        JsonNode response = invoke("api", "api/health.json");

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertEquals("ok", body.path("components").path("table").path("status").asText());
        assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", response.path("headers").path("x-request-id").asText());
    }

    @Test
    void mediaWorkerJarDropsTheUploadOfAPostThatNoLongerExists() throws Exception {
        var s3 = stack.clients().s3();
        String bucket = stack.config().uploadsBucket();
        s3.putObject(r -> r.bucket(bucket).key("uploads/6f1c3a5e/01JD3X9K2M.jpg"), RequestBody.fromString("jpeg"));

        JsonNode response = invoke("media-worker", "sqs/media-job.json");

        assertEquals(0, response.path("batchItemFailures").size(), response.toString());
        assertEquals(0, s3.listObjectsV2(r -> r.bucket(bucket).prefix("uploads/6f1c3a5e/")).keyCount(),
                "the orphaned original (it may carry GPS) is deleted");
    }

    @Test
    void fanoutWorkerJarDecodesItsJob() throws Exception {
        JsonNode response = invoke("fanout-worker", "sqs/fanout-job.json");
        assertEquals(0, response.path("batchItemFailures").size(), response.toString());
    }

    @Test
    void streamProcessorJarFailsTheInvocationOnARecordItCannotReadAtTheHeadOfItsBatch() throws Exception {
        assertEquals(0, invoke("stream-processor", "dynamodb/insert-and-modify.json").path("batchItemFailures").size());
        // As Lambda's Invoke reports an unhandled error; ./glint invoke exits 1.
        JsonNode bad = invoke("stream-processor", "dynamodb/record-without-change.json", 1);
        assertTrue(bad.path("errorType").asText().endsWith("HeadOfBatchFailed"), bad.toString());
        assertTrue(bad.path("errorMessage").asText().contains("bisect-on-error"), bad.toString());
    }
}
