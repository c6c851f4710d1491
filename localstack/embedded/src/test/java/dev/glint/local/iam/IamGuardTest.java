package dev.glint.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A denied call fails in the SDK as AWS's own denial does: status 403, the service's error code, no
 * retry, and the emulator (here: nothing listens at its address) is never reached.
 */
class IamGuardTest {

    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");
    private static DenyEndpoint deny;
    private static IamLedger ledger;
    private static ClientOverrideConfiguration guarded;

    @BeforeAll
    static void guard() throws Exception {
        deny = new DenyEndpoint();
        ledger = new IamLedger();
        var policy = new PolicyEvaluator(Statement.of("ApiPolicy", new ObjectMapper().readTree(
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:Query\",\"Resource\":\"*\"}]}")));
        ledger.register("api", policy.statements());
        guarded = ClientOverrideConfiguration.builder().addExecutionInterceptor(new IamGuard("api",
                "arn:aws:iam::000000000000:role/api", policy, new AwsActions("us-east-1", "000000000000"), ledger,
                deny.port())).build();
    }

    @AfterAll
    static void stop() {
        deny.close();
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B local(B builder) {
        return builder.region(Region.US_EAST_1).endpointOverride(NOWHERE).overrideConfiguration(guarded)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")));
    }

    @Test
    void aDeniedDynamoDbCallIsAnAccessDeniedExceptionWith403AndIsNotRetried() {
        long before = deny.answered();
        try (DynamoDbClient dynamo = local(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())).build()) {
            var e = assertThrows(AwsServiceException.class, () -> dynamo.putItem(r -> r.tableName("t")
                    .item(Map.of("pk", AttributeValue.fromS("x")))));
            assertEquals(403, e.statusCode());
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.getMessage().contains("dynamodb:PutItem"), e.getMessage());
        }
        assertEquals(1, deny.answered() - before, "a 403 is not retried");
        assertEquals(1L, ledger.deniedCalls("api").get("dynamodb:PutItem arn:aws:dynamodb:us-east-1:000000000000:table/t"));
    }

    @Test
    void aDeniedSqsCallIsAccessDenied() {
        try (SqsClient sqs = local(SqsClient.builder().httpClient(UrlConnectionHttpClient.create())).build()) {
            var e = assertThrows(AwsServiceException.class, () -> sqs.sendMessage(r -> r
                    .queueUrl("http://127.0.0.1:9/000000000000/media").messageBody("{}")));
            assertEquals(403, e.statusCode());
            assertTrue(e.awsErrorDetails().errorCode().startsWith("AccessDenied"), e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void aDeniedS3CallIsAccessDeniedInS3sXml() {
        try (S3Client s3 = local(S3Client.builder().httpClient(UrlConnectionHttpClient.create())).forcePathStyle(true).build()) {
            var e = assertThrows(AwsServiceException.class, () -> s3.getObjectAsBytes(r -> r.bucket("media").key("media/a.jpg")));
            assertEquals(403, e.statusCode());
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            var head = assertThrows(AwsServiceException.class, () -> s3.headObject(r -> r.bucket("media").key("media/a.jpg")));
            assertEquals(403, head.statusCode());
        }
        assertTrue(ledger.deniedCalls("api").containsKey("s3:GetObject arn:aws:s3:::media/media/a.jpg"));
    }

    @Test
    void aPostToAConnectionIsManageConnectionsOnTheStagesConnectionAndADeniedOneIsForbidden() {
        var post = software.amazon.awssdk.services.apigatewaymanagementapi.model.PostToConnectionRequest.builder()
                .connectionId("AbCdEfGhIjKlMnO=").build();
        var asked = new AwsActions("us-east-1", "000000000000").withWebSocketStage("realtimeapi/live")
                .of(AwsActions.service(post).orElseThrow(), "PostToConnection", post);
        assertEquals(java.util.List.of(AccessRequest.of("execute-api:ManageConnections",
                "arn:aws:execute-api:us-east-1:000000000000:realtimeapi/live/POST/@connections/AbCdEfGhIjKlMnO=")), asked);

        long before = deny.answered();
        try (var management = local(software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient.builder())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            var e = assertThrows(AwsServiceException.class, () -> management.postToConnection(r -> r.connectionId("AbCdEfGhIjKlMnO=")
                    .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{}"))));
            assertEquals(403, e.statusCode());
            assertEquals("ForbiddenException", e.awsErrorDetails().errorCode());
        }
        assertEquals(before + 1, deny.answered(), "denied once, not retried, nothing sent to the connection");
    }

    @Test
    void theReportShowsEachGrantWithItsUseAndTheUnusedOnes() {
        @SuppressWarnings("unchecked")
        Map<String, Object> api = (Map<String, Object>) ledger.report().get("api");
        assertEquals(1, api.get("granted"));
        assertEquals(java.util.List.of("dynamodb:Query on *"), api.get("unused"));
    }
}
