package dev.glint.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The cold-start floor: what any Glint function must do before its first answer (build its DynamoDB,
 * S3 and SQS clients the way {@code AwsClients} does, then one {@code GetItem}) and nothing more. The
 * cold-start benchmark reports every function jar as a ratio of this one. It is never deployed.
 */
public final class FloorHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final DynamoDbClient dynamo;
    private final String table;

    public FloorHandler() {
        Region region = Region.of(System.getenv("AWS_REGION"));
        var credentials = EnvironmentVariableCredentialsProvider.create();
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http()).credentialsProvider(credentials).region(region);
        endpoint("GLINT_DYNAMODB_ENDPOINT").ifPresent(dynamoBuilder::endpointOverride);
        var s3Builder = S3Client.builder().httpClient(http()).credentialsProvider(credentials).region(region);
        endpoint("GLINT_S3_ENDPOINT").ifPresent(uri -> s3Builder.endpointOverride(uri).forcePathStyle(true));
        var sqsBuilder = SqsClient.builder().httpClient(http()).credentialsProvider(credentials).region(region);
        endpoint("GLINT_SQS_ENDPOINT").ifPresent(sqsBuilder::endpointOverride);
        this.dynamo = dynamoBuilder.build();
        // Built as the functions build theirs, though only DynamoDB is called: client construction is part of the floor.
        s3Builder.build();
        sqsBuilder.build();
        this.table = System.getenv("GLINT_TABLE");
    }

    private static java.util.Optional<URI> endpoint(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(URI.create(value));
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("FLOOR"), "sk", AttributeValue.fromS("FLOOR"))));
        return Map.of("statusCode", 200, "found", item.hasItem());
    }
}
