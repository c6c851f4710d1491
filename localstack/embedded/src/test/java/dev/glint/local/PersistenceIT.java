package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State kept in the data folder survives a restart; the stream resumes where it stopped. */
class PersistenceIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    private static final List<String> streamKeys = new CopyOnWriteArrayList<>();

    private static EmbeddedStack start(Path data) throws Exception {
        return STACKS.start(options -> options.withDataDir(data)
                .withDecorator(new EmbeddedStack.HandlerDecorator() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
                        if (!function.equals("stream-processor")) {
                            return handler;
                        }
                        return (RequestHandler<I, O>) new RawStreamHandler(
                                record -> streamKeys.add(record.keys().get("pk").s() + "/" + record.keys().get("sk").s()));
                    }
                }));
    }

    @Test
    void tableBlobsMessagesAndTokensSurviveARestartAndTheStreamIsNotReplayed(@TempDir Path data) throws Exception {
        String failureQueue = GlintResources.STREAM_CONSUMER.onFailure().logicalName();
        String token;
        try (EmbeddedStack first = start(data)) {
            first.clients().dynamoDb().putItem(r -> r.tableName(first.config().table()).item(Map.of(
                    "pk", AttributeValue.fromS("KEEP#1"), "sk", AttributeValue.fromS("A"),
                    // a kind the stream's event filter lets through
                    "entity", AttributeValue.fromS("post"))));
            first.clients().s3().putObject(r -> r.bucket(first.config().mediaBucket()).key("kept/photo.jpg"),
                    RequestBody.fromString("jpeg bytes"));
            first.clients().sqs().sendMessage(r -> r.queueUrl(first.queueUrl(failureQueue)).messageBody("kept message"));
            token = token(first.apiEndpoint());
            await(() -> streamKeys.contains("KEEP#1/A"));
            assertThrows(IllegalStateException.class, () -> start(data), "a second stack on the same folder is refused");
        }

        try (EmbeddedStack second = start(data)) {
            var item = second.clients().dynamoDb().getItem(r -> r.tableName(second.config().table())
                    .key(Map.of("pk", AttributeValue.fromS("KEEP#1"), "sk", AttributeValue.fromS("A"))).consistentRead(true));
            assertTrue(item.hasItem(), "the table item survived");
            assertEquals("jpeg bytes", second.clients().s3().getObjectAsBytes(r -> r.bucket(second.config().mediaBucket())
                    .key("kept/photo.jpg")).asUtf8String());
            List<Message> messages = second.clients().sqs().receiveMessage(r -> r.queueUrl(second.queueUrl(failureQueue))
                    .waitTimeSeconds(2)).messages();
            assertEquals(List.of("kept message"), messages.stream().map(Message::body).toList());
            assertEquals(401, get(second.apiEndpoint(), "/v1/me", "not-a-token"));
            assertEquals(404, get(second.apiEndpoint(), "/v1/me", token), "a token from before the restart is still valid");

            second.clients().dynamoDb().putItem(r -> r.tableName(second.config().table()).item(Map.of(
                    "pk", AttributeValue.fromS("KEEP#2"), "sk", AttributeValue.fromS("B"),
                    // a kind the stream's event filter lets through
                    "entity", AttributeValue.fromS("post"))));
            await(() -> streamKeys.contains("KEEP#2/B"));
            assertEquals(1, streamKeys.stream().filter("KEEP#1/A"::equals).count(), "the stream resumed after its checkpoint");
        }
    }

    private static String token(URI api) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.resolve("/v1/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"erin\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        int start = body.indexOf("\"token\":\"") + 9;
        return body.substring(start, body.indexOf('"', start));
    }

    private static int get(URI api, String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.resolve(path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time; stream saw " + streamKeys);
            }
            Thread.sleep(100);
        }
    }
}
