package dev.glint.local;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.streamprocessor.StreamProcessorComposition;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./glint dlq}: a poison message is shown, then redriven to its queue, and nothing is lost; a
 * stream range the stream processor gave up on is listed, shown, and applied again exactly once.
 */
class DlqToolIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    @Test
    void aDeadLetteredMessageIsShownAndRedrivenToItsQueue() throws Exception {
        try (EmbeddedStack stack = STACKS.start(options -> options.withVisibilityTimeout(1))) {
            var sqs = stack.clients().sqs();
            String queue = stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName());
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody("{\"type\":\"feed.fanout\",\"v\":99}"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Dlq dlq = new Dlq(sqs, new PrintStream(printed, true, StandardCharsets.UTF_8));

            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (dlq.show(queue, 10) == 0) {
                assertTrue(System.nanoTime() < deadline, "the poison message never reached the dead-letter queue");
                Thread.sleep(500);
            }
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("\"v\":99"), printed.toString(StandardCharsets.UTF_8));
            assertEquals(stack.queueUrl(GlintResources.FANOUT_QUEUE.dlqLogicalName()), dlq.deadLetterQueue(queue));

            assertEquals(1, dlq.redrive(queue));
            // Redriven, it fails again and returns: nothing is dropped on the way.
            deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (dlq.show(queue, 10) == 0) {
                assertTrue(System.nanoTime() < deadline, "the redriven message was lost");
                Thread.sleep(500);
            }
        }
    }

    private static final AtomicBoolean STREAM_TABLE_DOWN = new AtomicBoolean();

    @Test
    void aParkedStreamRangeIsListedShownAndAppliedAgainOnlyOnce() throws Exception {
        try (EmbeddedStack stack = STACKS.start(options -> options.withFunctionInterceptor(
                GlintResources.STREAM_PROCESSOR_FUNCTION.name(), new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (STREAM_TABLE_DOWN.get() && context.request().getClass().getName().contains(".dynamodb.")) {
                            throw new IllegalStateException("the table is unreachable (injected by the test)");
                        }
                    }
                }))) {
            ApiClient api = new ApiClient(stack.apiEndpoint());
            for (String user : List.of("alice", "bob")) {
                assertEquals(200, api.json("PUT", user, "/v1/me", Map.of("handle", user, "displayName", user)).status());
            }
            String post = api.readyPost("alice", "parked");
            await(stack::streamCaughtUp, "the stream consumer never caught up");

            // The stream processor cannot reach the table: bob's like is retried, bisected, then given up.
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            String queue = stack.functionEnvironment().get(GlintResources.STREAM_CONSUMER.onFailure().envVar());
            var streams = DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY,
                            EmbeddedStack.SECRET_KEY))).region(Region.of(LocalContext.REGION)).endpointOverride(stack.dynamoEndpoint()).build();
            var composition = StreamProcessorComposition.of(stack.clients());
            StreamFailures failures = new StreamFailures(stack.clients().sqs(), streams, queue,
                    new StreamBatchProcessor(composition.decoder(), composition.useCase()), new PrintStream(printed, true, StandardCharsets.UTF_8));
            STREAM_TABLE_DOWN.set(true);
            try {
                assertTrue(api.send("PUT", "/v1/posts/" + post + "/like", "bob", null, null).json().path("liked").asBoolean());
                await(() -> failures.list() >= 1, "the like was never parked");
            } finally {
                STREAM_TABLE_DOWN.set(false);
            }
            assertEquals(0, likes(api, post), "a parked like is not counted");

            // ./glint dlq list stream-failures, as a command against the running stack's environment.
            String listed = glintDlq(stack, "list", Dlq.STREAM_FAILURES);
            assertTrue(listed.contains(queue) && listed.contains("waiting 1"), listed);

            assertEquals(1, failures.show(10));
            String shown = printed.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("RetryAttemptsExhausted") && shown.contains("DDBStreamBatchInfo"), shown);
            String document = stack.clients().sqs().receiveMessage(r -> r.queueUrl(queue).visibilityTimeout(0).waitTimeSeconds(1))
                    .messages().get(0).body();

            // Redriven: read again from the stream at the parked sequence numbers and applied.
            StreamFailures.Outcome first = failures.redrive();
            assertEquals(1, first.rangesDone());
            assertEquals(0, first.rangesLeft());
            assertTrue(first.recordsApplied() >= 1, first.toString());
            await(() -> likes(api, post) == 1, "the redriven like was never counted");
            assertEquals(0, failures.list());

            // The same range parked twice (Lambda delivers at least once) is applied again, and counts nothing twice.
            stack.clients().sqs().sendMessage(r -> r.queueUrl(queue).messageBody(document));
            StreamFailures.Outcome again = failures.redrive();
            assertEquals(1, again.rangesDone());
            await(stack::streamCaughtUp, "the stream consumer never caught up");
            assertEquals(1, likes(api, post));
            streams.close();
        }
    }

    @Test
    void aMessageThatDescribesNoStreamRangeIsLeftOnTheQueue() {
        String bad = "{\"DDBStreamBatchInfo\":{\"shardId\":\"s\",\"startSequenceNumber\":\"1; drop\"}}";
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> StreamFailures.Range.of(bad));
        assertTrue(error.getMessage().contains("not a stream failure description"), error.getMessage());
    }

    private static int likes(ApiClient api, String post) {
        return api.get("alice", "/v1/posts/" + post).json().path("likes").asInt();
    }

    private static String glintDlq(EmbeddedStack stack, String... args) throws Exception {
        Path root = Path.of(System.getProperty("glint.events.dir", "../../events")).getParent();
        String classpath = root.resolve("localstack/embedded/target/classes") + File.pathSeparator
                + Files.readString(root.resolve("localstack/embedded/target/classpath.txt")).trim();
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "dev.glint.local.Dlq"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(stack.functionEnvironment());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dlq did not finish");
        assertEquals(0, process.exitValue(), err);
        return out;
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.sleep(250);
        }
    }
}
