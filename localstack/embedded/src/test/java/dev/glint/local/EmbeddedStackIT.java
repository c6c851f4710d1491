package dev.glint.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.shared.aws.ChangeRecord;
import dev.glint.shared.aws.StreamDecoder;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded stack end to end, on free ports, in memory: HTTP through the local gateway, SQS
 * batches through the pollers with partial failures and the dead-letter queue, table writes through
 * the stream poller, and stream records that keep failing: bisected, retried and parked on the failure
 * queue as Lambda does.
 */
class EmbeddedStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PAYLOAD_LIMIT = 64 * 1024;

    private static final List<APIGatewayV2HTTPEvent> apiEvents = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> mediaDeliveries = new ConcurrentHashMap<>();
    private static final List<ChangeRecord> changes = new CopyOnWriteArrayList<>();
    /** Every batch the stream function was given, in order. */
    private static final List<List<ChangeRecord>> streamBatches = new CopyOnWriteArrayList<>();
    /** Failure documents read from the stream-failures queue (each is deleted once read). */
    private static final List<JsonNode> streamFailures = new CopyOnWriteArrayList<>();

    /** Watches the gateway's events and the media worker's deliveries, and replaces the stream processor's use case. */
    private static final EmbeddedStack.HandlerDecorator OBSERVE = new EmbeddedStack.HandlerDecorator() {
        @Override
        @SuppressWarnings("unchecked")
        public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
            return switch (function) {
                case "api" -> (event, context) -> {
                    APIGatewayV2HTTPEvent http = (APIGatewayV2HTTPEvent) event;
                    apiEvents.add(http);
                    String delay = http.getHeaders() == null ? null : http.getHeaders().get("x-test-delay-ms");
                    if (delay != null) {
                        sleep(Long.parseLong(delay));
                    }
                    if (http.getHeaders() != null && http.getHeaders().containsKey("x-test-binary-response")) {
                        return (O) APIGatewayV2HTTPResponse.builder()
                                .withStatusCode(201)
                                .withHeaders(Map.of("content-type", "image/png"))
                                .withMultiValueHeaders(Map.of("x-multi", List.of("one", "two")))
                                .withCookies(List.of("theme=dark; Path=/", "session=abc; HttpOnly"))
                                .withBody(Base64.getEncoder().encodeToString(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0}))
                                .withIsBase64Encoded(true)
                                .build();
                    }
                    return handler.handleRequest(event, context);
                };
                case "media-worker" -> (event, context) -> {
                    ((SQSEvent) event).getRecords().forEach(r ->
                            mediaDeliveries.computeIfAbsent(r.getBody(), b -> new AtomicInteger()).incrementAndGet());
                    return handler.handleRequest(event, context);
                };
                // The stream plumbing with a scripted function in place of the stream processor.
                case "stream-processor" -> (RequestHandler<I, O>) new ScriptedStreamHandler();
                default -> handler;
            };
        }
    };

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withLimits(new LocalGateway.Limits(PAYLOAD_LIMIT, Duration.ofSeconds(2)))
            .withDecorator(OBSERVE));
    @StackExtension.Inject
    private static EmbeddedStack stack;

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String pathAndQuery) {
        return stack.apiEndpoint().resolve(pathAndQuery);
    }

    private static String token(String username, String... groups) throws Exception {
        String body = JSON.writeValueAsString(Map.of("username", username, "groups", List.of(groups)));
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json"));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("token").asText();
    }

    private static APIGatewayV2HTTPEvent lastEventWithRequestId(String requestId) {
        return apiEvents.stream().filter(e -> e.getRequestContext().getRequestId().equals(requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("the api function never saw request " + requestId));
    }

    @Test
    void healthOverRealHttpReportsEveryComponent() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/health")));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("ok", body.path("status").asText());
        for (String component : List.of("table", "media-bucket", "uploads-bucket", "media-queue", "fanout-queue")) {
            assertEquals("ok", body.path("components").path(component).path("status").asText(), component);
        }
        String requestId = response.headers().firstValue("apigw-requestid").orElseThrow();
        assertEquals(requestId, response.headers().firstValue("x-request-id").orElseThrow());
    }

    @Test
    void theGatewayHandsTheFunctionAnApiGatewayV2Event() throws Exception {
        String token = token("alice", "product");
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/things/42?tag=a&tag=b&q=hello%20world"))
                .header("Authorization", "Bearer " + token)
                .header("Cookie", "theme=dark; session=xyz")
                .header("X-Custom-Header", "Value"));

        assertEquals(404, response.statusCode(), response.body());
        assertEquals("route_not_found", JSON.readTree(response.body()).path("error").path("code").asText());
        APIGatewayV2HTTPEvent event = lastEventWithRequestId(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertEquals("2.0", event.getVersion());
        assertEquals("$default", event.getRouteKey());
        assertEquals("/v1/things/42", event.getRawPath());
        assertEquals("tag=a&tag=b&q=hello%20world", event.getRawQueryString());
        assertEquals(Map.of("tag", "a,b", "q", "hello world"), event.getQueryStringParameters());
        assertEquals(List.of("theme=dark", "session=xyz"), event.getCookies());
        assertEquals("Value", event.getHeaders().get("x-custom-header"));
        assertFalse(event.getHeaders().containsKey("cookie"));
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertEquals("/v1/things/42", event.getRequestContext().getHttp().getPath());
        assertEquals("127.0.0.1", event.getRequestContext().getHttp().getSourceIp());
        assertTrue(event.getRequestContext().getTimeEpoch() > 0);
        assertNotNull(event.getRequestContext().getTime());
        Map<String, String> claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
        assertEquals(LocalJwtIssuer.subjectOf("alice"), claims.get("sub"));
        assertEquals("alice", claims.get("cognito:username"));
        assertEquals("[product]", claims.get("cognito:groups"));
    }

    @Test
    void publicRoutesNeedNoTokenAndCarryNoClaims() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/health")));
        APIGatewayV2HTTPEvent event = lastEventWithRequestId(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertEquals("GET /health", event.getRouteKey());
        assertNull(event.getRequestContext().getAuthorizer());
    }

    @Test
    void missingForgedOrUnknownTokensAre401AndNeverReachTheFunction() throws Exception {
        String token = token("bob");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        int before = apiEvents.size();

        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(url("/v1/me")),
                HttpRequest.newBuilder(url("/v1/me")).header("Authorization", "Bearer " + forged),
                HttpRequest.newBuilder(url("/v1/me")).header("Authorization", "Bearer not.a.token"),
                HttpRequest.newBuilder(url("/v1/me")).header("Authorization", "Basic YWxpY2U6cGFzcw=="))) {
            HttpResponse<String> response = send(request);
            assertEquals(401, response.statusCode());
            assertEquals("{\"message\":\"Unauthorized\"}", response.body());
        }
        assertEquals(before, apiEvents.size());
    }

    @Test
    void aBodyOverThePayloadLimitIs413AndNeverReachesTheFunction() throws Exception {
        int before = apiEvents.size();
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/posts"))
                .header("Authorization", "Bearer " + token("carol"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[PAYLOAD_LIMIT + 1])));

        assertEquals(413, response.statusCode());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", response.body());
        assertEquals(before, apiEvents.size());
    }

    @Test
    void aFunctionSlowerThanTheIntegrationTimeoutIs503() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/health")).header("x-test-delay-ms", "3000"));

        assertEquals(503, response.statusCode());
        assertEquals("{\"message\":\"Service Unavailable\"}", response.body());
    }

    @Test
    void binaryBodiesReachTheFunctionBase64Encoded() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF};
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/raw"))
                .header("Authorization", "Bearer " + token("dave"))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)));

        APIGatewayV2HTTPEvent event = lastEventWithRequestId(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertTrue(event.getIsBase64Encoded());
        assertEquals(List.of(0x89, 'P' + 0, 'N' + 0, 'G' + 0, 0, 1, 2, 0xFF),
                toUnsigned(Base64.getDecoder().decode(event.getBody())));
    }

    @Test
    void theFunctionsResponseIsMappedBackWithCookiesHeadersAndDecodedBinaryBody() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(url("/v1/picture"))
                .header("Authorization", "Bearer " + token("frank"))
                .header("x-test-binary-response", "yes").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(201, response.statusCode());
        assertEquals("image/png", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(List.of("one", "two"), response.headers().allValues("x-multi"));
        assertEquals(List.of("theme=dark; Path=/", "session=abc; HttpOnly"), response.headers().allValues("set-cookie"));
        assertEquals(List.of(0x89, 'P' + 0, 'N' + 0, 'G' + 0, 0), toUnsigned(response.body()));
    }

    @Test
    void devTokenRefusesBadInputWithAJsonError() throws Exception {
        for (String body : List.of("not json", "{\"username\":\"\"}", "{\"username\":\"alice\",\"admin\":true}",
                "{\"username\":\"alice\",\"groups\":\"product\"}")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(400, response.statusCode(), body);
            assertFalse(JSON.readTree(response.body()).path("error").path("message").asText().isEmpty(), body);
        }
    }

    @Test
    void aPoisonMessageIsRetriedUntilMaxReceiveCountThenDeadLetteredWhileTheRestOfItsBatchSucceedsOnce() throws Exception {
        String uploadKey = "uploads/it/" + UUID.randomUUID() + ".jpg";
        stack.clients().s3().putObject(r -> r.bucket(stack.config().uploadsBucket()).key(uploadKey),
                RequestBody.fromString("bytes"));
        String good1 = MessageCodec.encode(MediaJob.of("post-1", uploadKey));
        String good2 = MessageCodec.encode(MediaJob.of("post-2", uploadKey));
        String poison = "{\"type\":\"media.process\",\"v\":1,\"postId\":\"post-3\"}";
        SqsClient sqs = stack.clients().sqs();
        String queue = stack.queueUrl(GlintResources.MEDIA_QUEUE.logicalName());
        String dlq = stack.queueUrl(GlintResources.MEDIA_QUEUE.dlqLogicalName());
        sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(
                e -> e.id("1").messageBody(good1), e -> e.id("2").messageBody(poison), e -> e.id("3").messageBody(good2)));

        List<Message> deadLettered = new ArrayList<>();
        await(Duration.ofSeconds(45), () -> {
            deadLettered.addAll(sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(30)).messages());
            return !deadLettered.isEmpty();
        });

        assertEquals(List.of(poison), deadLettered.stream().map(Message::body).toList());
        assertEquals(GlintResources.MEDIA_QUEUE.maxReceiveCount(), mediaDeliveries.get(poison).get());
        assertEquals(1, mediaDeliveries.get(good1).get());
        assertEquals(1, mediaDeliveries.get(good2).get());
        Map<QueueAttributeName, String> left = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        assertEquals("0", left.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("0", left.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void aTableWriteReachesTheStreamProcessor() throws Exception {
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        String pk = "IT#" + UUID.randomUUID();
        dynamo.putItem(r -> r.tableName(stack.config().table()).item(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("A"), "caption", AttributeValue.fromS("hello"),
                "entity", AttributeValue.fromS("post"))));

        await(Duration.ofSeconds(20), () -> changes.stream().anyMatch(c -> AttributeValue.fromS(pk).equals(c.keys().get("pk"))));

        ChangeRecord change = changes.stream().filter(c -> AttributeValue.fromS(pk).equals(c.keys().get("pk"))).findFirst().orElseThrow();
        assertEquals(ChangeRecord.Kind.INSERT, change.kind());
        assertEquals(AttributeValue.fromS("hello"), change.newImage().get("caption"));
    }

    @Test
    void aWriteTheStreamProcessorDerivesNothingFromNeverInvokesIt() throws Exception {
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        String pk = "IT#" + UUID.randomUUID();
        var before = stack.streamFilterCounts();
        // A feed entry, an item without a kind, and a post's change; then a post: only the posts pass the filter.
        dynamo.putItem(r -> r.tableName(stack.config().table()).item(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("FEED"), "entity", AttributeValue.fromS("feed"))));
        dynamo.putItem(r -> r.tableName(stack.config().table()).item(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("PLAIN"))));
        dynamo.putItem(r -> r.tableName(stack.config().table()).item(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("LIKE"), "entity", AttributeValue.fromS("like"))));
        dynamo.updateItem(r -> r.tableName(stack.config().table()).key(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("LIKE"))).updateExpression("SET n = :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        dynamo.putItem(r -> r.tableName(stack.config().table()).item(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("POST"), "entity", AttributeValue.fromS("post"))));

        await(Duration.ofSeconds(20), () -> changes.stream().anyMatch(c -> AttributeValue.fromS("POST").equals(c.keys().get("sk"))
                && AttributeValue.fromS(pk).equals(c.keys().get("pk"))));
        List<String> seen = changes.stream().filter(c -> AttributeValue.fromS(pk).equals(c.keys().get("pk")))
                .map(c -> c.kind() + " " + c.keys().get("sk").s()).distinct().toList();
        assertEquals(List.of("INSERT LIKE", "INSERT POST"), seen, "a like's insertion and the post pass; the rest is filtered out");
        var after = stack.streamFilterCounts();
        assertTrue(after.recordsRead() - before.recordsRead() >= 5, after + " after " + before);
        assertTrue(after.recordsRead() - after.recordsPassed() >= before.recordsRead() - before.recordsPassed() + 3, after + " after " + before);
    }

    @Test
    void aRecordThatKeepsFailingMidBatchIsBisectedOutAndOnlyItReachesTheFailureQueue() throws Exception {
        // The stream processor reports the record it fails on, and fails the invocation when that record
        // is the first of its batch: then Lambda bisects the rest of the batch until the record is alone.
        Written written = writeOneBatch("ISOLATE", 10, 5, "processor");
        String pk = written.pk();
        JsonNode failure = awaitFailureOf(pk);
        awaitStreamSettled();
        String poison = sequence(pk, "05");

        assertTrue(recordsAfter(poison, firstBatchWith(poison)) > 0, "the poison had records after it in its batch");
        for (String sk : List.of("01", "02", "03", "04", "06", "07", "08", "09", "10")) {
            assertEquals(1, applied(pk, sk), sk + " applied once");
        }
        assertEquals(0, applied(pk, "05"));
        JsonNode info = failure.path("DDBStreamBatchInfo");
        assertEquals(poison, info.path("startSequenceNumber").asText());
        assertEquals(poison, info.path("endSequenceNumber").asText());
        assertEquals(1, info.path("batchSize").asInt());
        assertEquals("RetryAttemptsExhausted", failure.path("requestContext").path("condition").asText());
        assertEquals("Unhandled", failure.path("responseContext").path("functionError").asText());
        assertEquals(batchesWith(poison), failure.path("requestContext").path("approximateInvokeCount").asInt());
        assertEquals(GlintResources.STREAM_CONSUMER.maxRetryAttempts() + 1, batchesOnlyOf(poison),
                "retried alone maxRetryAttempts times after its first batch of one");
        assertEquals(1, failuresOf(pk).size());
    }

    @Test
    void aPartialResponseNamingTheFirstRecordOfItsBatchIsNeverBisectedAndTheRestOfThatBatchIsDiscardedWithIt() throws Exception {
        // What a function that always reports the failing record answers, even when it is the first of
        // the batch (as the stream processor once did). That is no error, so Lambda does not bisect; it
        // retries the remainder unchanged and, when the retries run out, discards all of it.
        Written written = writeOneBatch("REMAINDER", 10, 5, "report");
        String pk = written.pk();
        JsonNode failure = awaitFailureOf(pk);
        awaitStreamSettled();
        String poison = sequence(pk, "05");

        List<ChangeRecord> firstBatch = firstBatchWith(poison);
        int discarded = 1 + recordsAfter(poison, firstBatch);
        assertTrue(discarded > 1, "the poison had records after it in its batch");
        String lastOfBatch = firstBatch.get(firstBatch.size() - 1).sequenceNumber();
        for (String sk : List.of("01", "02", "03", "04")) {
            assertEquals(1, applied(pk, sk), sk + " applied once");
        }
        for (String sk : written.sks()) {
            String sequence = sequence(pk, sk);
            boolean inDiscardedRange = new BigInteger(sequence).compareTo(new BigInteger(poison)) >= 0
                    && new BigInteger(sequence).compareTo(new BigInteger(lastOfBatch)) <= 0;
            if (inDiscardedRange) {
                assertEquals(0, applied(pk, sk), sk + " was discarded with the poison");
            } else if (!sk.equals("05")) {
                assertEquals(1, applied(pk, sk), sk + " came in a later batch and was applied");
            }
        }
        JsonNode info = failure.path("DDBStreamBatchInfo");
        assertEquals(poison, info.path("startSequenceNumber").asText());
        assertEquals(lastOfBatch, info.path("endSequenceNumber").asText());
        assertEquals(discarded, info.path("batchSize").asInt());
        assertTrue(failure.path("responseContext").path("functionError").isNull(), "a partial response is no function error");
        assertEquals(GlintResources.STREAM_CONSUMER.maxRetryAttempts() + 1, failure.path("requestContext").path("approximateInvokeCount").asInt());
        List<Integer> retried = streamBatches.stream().filter(b -> b.stream().anyMatch(r -> r.sequenceNumber().equals(poison)))
                .skip(1).map(List::size).toList();
        assertEquals(Collections.nCopies(GlintResources.STREAM_CONSUMER.maxRetryAttempts(), discarded), retried,
                "the remainder retried whole, never halved");
        assertEquals(1, failuresOf(pk).size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"throw", "garble"})
    void aBatchTheFunctionFailsWholeIsBisectedUntilTheBadRecordIsAloneAndEveryOtherRecordIsAppliedOnce(String how) throws Exception {
        // "throw": the function throws; "garble": it answers with an empty itemIdentifier. Both fail the
        // whole batch, and nothing of the batch is applied.
        Written written = writeOneBatch("BISECT", 10, 7, how);
        String pk = written.pk();
        JsonNode failure = awaitFailureOf(pk);
        awaitStreamSettled();
        String bad = sequence(pk, "07");

        assertTrue(firstBatchWith(bad).size() > 1, "the bad record came in a batch with others");
        for (String sk : written.sks()) {
            assertEquals(sk.equals("07") ? 0 : 1, applied(pk, sk), sk);
        }
        JsonNode info = failure.path("DDBStreamBatchInfo");
        assertEquals(bad, info.path("startSequenceNumber").asText());
        assertEquals(bad, info.path("endSequenceNumber").asText());
        assertEquals(1, info.path("batchSize").asInt());
        assertEquals(how.equals("throw") ? "Unhandled" : "null", failure.path("responseContext").path("functionError").asText());
        assertEquals(batchesWith(bad), failure.path("requestContext").path("approximateInvokeCount").asInt());
        assertEquals(GlintResources.STREAM_CONSUMER.maxRetryAttempts() + 1, batchesOnlyOf(bad));
        assertEquals(1, failuresOf(pk).size());
    }

    /** Items written under one partition key, with sort keys "01", "02", ... */
    private record Written(String pk, List<String> sks) {
    }

    /**
     * Writes {@code count} items under a new partition key in one transaction, so the stream hands
     * them over together; item number {@code failing} is marked to fail the way {@code how} says
     * (see {@link ScriptedStreamHandler}).
     */
    private static Written writeOneBatch(String kind, int count, int failing, String how) {
        awaitStreamSettled();
        String pk = kind + "#" + UUID.randomUUID();
        List<String> sks = new ArrayList<>();
        List<TransactWriteItem> puts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String sk = String.format("%02d", i);
            sks.add(sk);
            // A kind of item the stream's event filter lets through.
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk),
                    "entity", AttributeValue.fromS("post")));
            if (i == failing) {
                item.put("fail", AttributeValue.fromS(how));
            }
            puts.add(TransactWriteItem.builder().put(Put.builder().tableName(stack.config().table()).item(item).build()).build());
        }
        stack.clients().dynamoDb().transactWriteItems(r -> r.transactItems(puts));
        return new Written(pk, List.copyOf(sks));
    }

    /** Waits until the stream consumer has nothing left to deliver or retry. */
    private static void awaitStreamSettled() {
        await(Duration.ofSeconds(60), stack::streamCaughtUp);
    }

    /** Waits for the failure queue to describe a record of {@code pk}, and returns that description. */
    private static JsonNode awaitFailureOf(String pk) {
        await(Duration.ofSeconds(60), () -> {
            drainFailureQueue();
            return !failuresOf(pk).isEmpty();
        });
        return failuresOf(pk).get(0);
    }

    private static void drainFailureQueue() {
        SqsClient sqs = stack.clients().sqs();
        String queue = stack.queueUrl(GlintResources.STREAM_CONSUMER.onFailure().logicalName());
        for (Message message : sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
            try {
                streamFailures.add(JSON.readTree(message.body()));
            } catch (java.io.IOException e) {
                throw new AssertionError("the failure queue holds a message that is not JSON: " + message.body(), e);
            }
            sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.receiptHandle()));
        }
    }

    /** Failure descriptions whose first record belongs to {@code pk}. */
    private static List<JsonNode> failuresOf(String pk) {
        return streamFailures.stream()
                .filter(f -> streamBatches.stream().flatMap(List::stream).anyMatch(r -> pk.equals(r.keys().get("pk").s())
                        && r.sequenceNumber().equals(f.path("DDBStreamBatchInfo").path("startSequenceNumber").asText())))
                .toList();
    }

    private static String sequence(String pk, String sk) {
        return streamBatches.stream().flatMap(List::stream).filter(r -> is(r, pk, sk)).findFirst()
                .orElseThrow(() -> new AssertionError(pk + "/" + sk + " never reached the function")).sequenceNumber();
    }

    private static boolean is(ChangeRecord record, String pk, String sk) {
        return pk.equals(record.keys().get("pk").s()) && sk.equals(record.keys().get("sk").s());
    }

    private static long applied(String pk, String sk) {
        return changes.stream().filter(r -> is(r, pk, sk)).count();
    }

    private static List<ChangeRecord> firstBatchWith(String sequence) {
        return streamBatches.stream().filter(b -> b.stream().anyMatch(r -> r.sequenceNumber().equals(sequence))).findFirst()
                .orElseThrow(() -> new AssertionError(sequence + " never reached the function"));
    }

    private static int recordsAfter(String sequence, List<ChangeRecord> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).sequenceNumber().equals(sequence)) {
                return batch.size() - i - 1;
            }
        }
        throw new AssertionError(sequence + " is not in the batch");
    }

    /** How many batches handed to the function held the record. */
    private static int batchesWith(String sequence) {
        return (int) streamBatches.stream().filter(b -> b.stream().anyMatch(r -> r.sequenceNumber().equals(sequence))).count();
    }

    /** How many batches handed to the function held the record and nothing else. */
    private static int batchesOnlyOf(String sequence) {
        return (int) streamBatches.stream().filter(b -> b.size() == 1 && b.get(0).sequenceNumber().equals(sequence)).count();
    }

    /**
     * A stream function scripted by the items it is given. Every batch is logged. A record whose item
     * has {@code fail}: {@code throw} makes it throw before applying anything (a function error);
     * {@code garble}: answer an empty itemIdentifier, a complete failure, before applying anything;
     * {@code report}: apply the records before it and report it, as the stream processor does;
     * {@code processor}: the whole batch goes through the stream processor's {@link StreamBatchProcessor},
     * which reports the record, or throws when it is the first of its batch. Other records are
     * applied (added to {@code changes}).
     */
    private static final class ScriptedStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
            List<ChangeRecord> batch = event.getRecords().stream().map(StreamBatchProcessor::toChange).toList();
            streamBatches.add(batch);
            if (batch.stream().anyMatch(r -> fail(r).equals("throw"))) {
                throw new IllegalStateException("a record of this batch cannot be applied");
            }
            if (batch.stream().anyMatch(r -> fail(r).equals("garble"))) {
                return failing("");
            }
            if (batch.stream().anyMatch(r -> fail(r).equals("processor"))) {
                return streamProcessorAnswer(event, batch);
            }
            for (int i = 0; i < batch.size(); i++) {
                ChangeRecord record = batch.get(i);
                switch (fail(record)) {
                    case "report" -> {
                        return failing(record.sequenceNumber());
                    }
                    default -> changes.add(record);
                }
            }
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        }

        /**
         * What the stream processor's own batch processor answers when the marked record cannot be
         * applied: it reports the record, or throws when it heads the batch.
         */
        private static StreamsEventResponse streamProcessorAnswer(DynamodbEvent event, List<ChangeRecord> batch) {
            Map<String, ChangeRecord> byEventId = new HashMap<>();
            batch.forEach(record -> byEventId.put(record.eventId(), record));
            return new StreamBatchProcessor(new StreamDecoder(java.time.Clock.systemUTC()), change -> {
                ChangeRecord record = byEventId.get(change.eventId());
                if (fail(record).equals("processor")) {
                    throw new IllegalStateException("this record cannot be applied");
                }
                changes.add(record);
            }).process(event);
        }

        private static String fail(ChangeRecord record) {
            AttributeValue fail = record.newImage().get("fail");
            return fail == null || fail.s() == null ? "" : fail.s();
        }

        private static StreamsEventResponse failing(String sequence) {
            return StreamsEventResponse.builder().withBatchItemFailures(List.of(
                    StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build())).build();
        }
    }

    private static List<Integer> toUnsigned(byte[] bytes) {
        List<Integer> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(b & 0xFF);
        }
        return Collections.unmodifiableList(out);
    }

    private static void await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
