package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.aws.ChangeRecord;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
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
 * the stream poller, and a poison stream record through the failure queue.
 */
class EmbeddedStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PAYLOAD_LIMIT = 64 * 1024;

    private static final List<APIGatewayV2HTTPEvent> apiEvents = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> mediaDeliveries = new ConcurrentHashMap<>();
    private static final List<ChangeRecord> changes = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> poisonAttempts = new ConcurrentHashMap<>();

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
                // The real stream plumbing with a use case that refuses records marked as poison.
                case "stream-processor" -> (RequestHandler<I, O>) new RawStreamHandler(record -> {
                    if (AttributeValue.fromBool(true).equals(record.newImage().get("poison"))) {
                        poisonAttempts.computeIfAbsent(record.sequenceNumber(), s -> new AtomicInteger()).incrementAndGet();
                        throw new IllegalStateException("poison record");
                    }
                    changes.add(record);
                });
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
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("A"), "caption", AttributeValue.fromS("hello"))));

        await(Duration.ofSeconds(20), () -> changes.stream().anyMatch(c -> AttributeValue.fromS(pk).equals(c.keys().get("pk"))));

        ChangeRecord change = changes.stream().filter(c -> AttributeValue.fromS(pk).equals(c.keys().get("pk"))).findFirst().orElseThrow();
        assertEquals(ChangeRecord.Kind.INSERT, change.kind());
        assertEquals(AttributeValue.fromS("hello"), change.newImage().get("caption"));
    }

    @Test
    void aPoisonStreamRecordGoesToTheFailureQueueAndTheRecordsAfterItProceed() throws Exception {
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        String run = UUID.randomUUID().toString();
        for (String sk : List.of("1-before", "2-poison", "3-after")) {
            dynamo.putItem(r -> r.tableName(stack.config().table()).item(Map.of(
                    "pk", AttributeValue.fromS("POISON#" + run), "sk", AttributeValue.fromS(sk),
                    "poison", AttributeValue.fromBool(sk.equals("2-poison")))));
        }
        await(Duration.ofSeconds(30), () -> changes.stream().anyMatch(c -> ("POISON#" + run).equals(c.keys().get("pk").s())
                && "3-after".equals(c.keys().get("sk").s())));

        List<String> applied = changes.stream().filter(c -> ("POISON#" + run).equals(c.keys().get("pk").s()))
                .map(c -> c.keys().get("sk").s()).toList();
        assertEquals(List.of("1-before", "3-after"), applied);
        String failureQueue = stack.queueUrl(GlintResources.STREAM_CONSUMER.onFailure().logicalName());
        List<Message> failures = stack.clients().sqs().receiveMessage(r -> r.queueUrl(failureQueue)
                .maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertEquals(1, failures.size());
        JsonNode info = JSON.readTree(failures.get(0).body()).path("DDBStreamBatchInfo");
        String poisonSequence = info.path("startSequenceNumber").asText();
        assertEquals(GlintResources.STREAM_CONSUMER.maxRetryAttempts() + 1, poisonAttempts.get(poisonSequence).get());
        assertEquals("RetryAttemptsExhausted", JSON.readTree(failures.get(0).body()).path("requestContext").path("condition").asText());
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
