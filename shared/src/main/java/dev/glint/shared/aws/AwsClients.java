package dev.glint.shared.aws;

import dev.glint.shared.config.GlintConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.List;

/**
 * The AWS clients of one function: each built once, when first asked for (a function's composition
 * asks at init), and the same instance after. Every client uses the light url-connection HTTP
 * client and honours the optional endpoint override of local stacks.
 */
public final class AwsClients {

    private final GlintConfig config;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final List<ExecutionInterceptor> interceptors;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private S3Presigner s3Presigner;

    public AwsClients(GlintConfig config, AwsCredentialsProvider credentials) {
        this(config, credentials, List.of());
    }

    /** @param interceptors see every request of every client (request counting, local fault injection) */
    public AwsClients(GlintConfig config, AwsCredentialsProvider credentials, List<ExecutionInterceptor> interceptors) {
        this.config = config;
        this.credentials = credentials;
        this.region = Region.of(config.region());
        this.interceptors = List.copyOf(interceptors);
    }

    /** The interceptors every client of this function carries, for clients built elsewhere (the digest's mail). */
    public ClientOverrideConfiguration overrideConfiguration() {
        return overrides();
    }

    private ClientOverrideConfiguration overrides() {
        ClientOverrideConfiguration.Builder builder = ClientOverrideConfiguration.builder();
        interceptors.forEach(builder::addExecutionInterceptor);
        return builder.build();
    }

    /**
     * Clients for a Lambda environment: credentials from the variables Lambda sets, which avoids
     * walking the whole default provider chain during a cold start; the calls traced into X-Ray when
     * the function traces ({@link XRayTracing}).
     */
    public static AwsClients fromEnvironment(GlintConfig config) {
        // With Lambda's active tracing, every call becomes an X-Ray subsegment of the invocation.
        return new AwsClients(config, EnvironmentVariableCredentialsProvider.create(),
                XRayTracing.fromEnvironment(System.getenv()).map(List::of).orElse(List.of()));
    }

    public GlintConfig config() {
        return config;
    }

    /** The credentials every client signs with (and what presigned URLs are signed with). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public Region region() {
        return region;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = buildDynamoDb();
        }
        return dynamoDb;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = buildSqs();
        }
        return sqs;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = buildS3();
        }
        return s3;
    }

    public synchronized S3Presigner s3Presigner() {
        if (s3Presigner == null) {
            s3Presigner = buildS3Presigner();
        }
        return s3Presigner;
    }

    private DynamoDbClient buildDynamoDb() {
        var builder = DynamoDbClient.builder()
                .httpClient(httpClient())
                .overrideConfiguration(overrides())
                .credentialsProvider(credentials)
                .region(region);
        config.endpoints().dynamoDb().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private SqsClient buildSqs() {
        var builder = SqsClient.builder()
                .httpClient(httpClient())
                .overrideConfiguration(overrides())
                .credentialsProvider(credentials)
                .region(region);
        config.endpoints().sqs().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private S3Client buildS3() {
        var builder = S3Client.builder()
                .httpClient(httpClient())
                .overrideConfiguration(overrides())
                .credentialsProvider(credentials)
                .region(region);
        config.endpoints().s3().ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder.build();
    }

    private S3Presigner buildS3Presigner() {
        var builder = S3Presigner.builder()
                .credentialsProvider(credentials)
                .region(region);
        config.endpoints().s3().ifPresent(uri -> builder.endpointOverride(uri)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    /**
     * A client of the WebSocket API's management endpoint ({@code https://<api>.execute-api.<region>.amazonaws.com/<stage>},
     * locally the gateway's), where messages are posted to connections. Built on each call: a
     * function asks once, at init.
     */
    public software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient managementApi(
            java.net.URI endpoint) {
        return software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient.builder()
                .httpClient(httpClient())
                .overrideConfiguration(overrides())
                .credentialsProvider(credentials)
                .region(region)
                .endpointOverride(endpoint)
                .build();
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }
}
