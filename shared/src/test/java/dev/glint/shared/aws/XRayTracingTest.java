package dev.glint.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each SDK call of a sampled invocation reaches the X-Ray daemon as a subsegment of the function's segment. */
class XRayTracingTest {

    private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    private DatagramSocket daemon;
    private HttpServer dynamo;
    private final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void start() throws Exception {
        daemon = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        daemon.setSoTimeout(2_000);
        dynamo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dynamo.createContext("/", exchange -> {
            byte[] body = (status.get() == 200 ? "{}" : "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-RequestId", "REQ123");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dynamo.start();
    }

    @AfterEach
    void stop() {
        System.clearProperty(XRayTracing.TRACE_HEADER_PROPERTY);
        daemon.close();
        dynamo.stop(0);
    }

    private DynamoDbClient client() {
        var tracing = XRayTracing.fromEnvironment(Map.of(XRayTracing.DAEMON_ENV, "127.0.0.1:" + daemon.getLocalPort())).orElseThrow();
        return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:" + dynamo.getAddress().getPort()))
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(tracing)
                        .retryStrategy(RetryMode.STANDARD).build())
                .build();
    }

    private JsonNode received() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        daemon.receive(packet);
        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        String[] parts = text.split("\n", 2);
        assertEquals("{\"format\":\"json\",\"version\":1}", parts[0]);
        return new ObjectMapper().readTree(parts[1]);
    }

    @Test
    void aCallBecomesASubsegmentOfTheInvocationsSegment() throws Exception {
        System.setProperty(XRayTracing.TRACE_HEADER_PROPERTY, HEADER);
        try (DynamoDbClient client = client()) {
            client.getItem(r -> r.tableName("glint-table").key(Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS("B"))));
        }
        JsonNode segment = received();
        assertEquals("DynamoDB", segment.get("name").asText());
        assertEquals("subsegment", segment.get("type").asText());
        assertEquals("aws", segment.get("namespace").asText());
        assertEquals("1-5759e988-bd862e3fe1be46a994272793", segment.get("trace_id").asText());
        assertEquals("53995c3f42cd8ad8", segment.get("parent_id").asText());
        assertEquals("GetItem", segment.get("aws").get("operation").asText());
        assertEquals("glint-table", segment.get("aws").get("table_name").asText());
        assertEquals("REQ123", segment.get("aws").get("request_id").asText());
        assertEquals(200, segment.get("http").get("response").get("status").asInt());
        assertTrue(segment.get("id").asText().matches("[0-9a-f]{16}"));
        assertTrue(segment.get("end_time").asDouble() >= segment.get("start_time").asDouble());
    }

    @Test
    void aFailedCallIsMarkedAFault() throws Exception {
        System.setProperty(XRayTracing.TRACE_HEADER_PROPERTY, HEADER);
        status.set(500);
        try (DynamoDbClient client = client()) {
            assertThrows(RuntimeException.class, () -> client.getItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("A")))));
        }
        JsonNode segment = received();
        assertTrue(segment.path("fault").asBoolean(), segment.toString());
        assertEquals(500, segment.get("http").get("response").get("status").asInt());
    }

    @Test
    void anInvocationThatIsNotSampledSendsNothing() throws Exception {
        System.setProperty(XRayTracing.TRACE_HEADER_PROPERTY, HEADER.replace("Sampled=1", "Sampled=0"));
        try (DynamoDbClient client = client()) {
            client.getItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("A"))));
        }
        assertThrows(SocketTimeoutException.class, this::received);
    }

    @Test
    void itIsOnOnlyWhereLambdaRunsTheDaemonAndTheStageDidNotTurnItOff() {
        assertTrue(XRayTracing.fromEnvironment(Map.of()).isEmpty());
        assertTrue(XRayTracing.fromEnvironment(Map.of(XRayTracing.DAEMON_ENV, "169.254.79.129:2000", XRayTracing.SWITCH_ENV, "false")).isEmpty());
        assertTrue(XRayTracing.fromEnvironment(Map.of(XRayTracing.DAEMON_ENV, "169.254.79.129:2000")).isPresent());
        assertEquals(new InetSocketAddress("127.0.0.1", 2000), XRayTracing.daemonAddress("tcp:127.0.0.1:2000 udp:127.0.0.1:2000"));
    }
}
