package dev.glint.shared.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.account.IdentityDirectory;
import dev.glint.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IdentityDirectory} on Cognito's user pool: {@code AdminDeleteUser}, one JSON 1.1 call signed
 * here (as {@link AppConfigHostedDefinitions} signs AppConfig's), so the fan-out worker's jar carries no
 * Cognito SDK module. The user is named by their {@code sub}, which the pool accepts as the user name.
 */
public final class CognitoIdentityDirectory implements IdentityDirectory {

    /** The user pool whose users the erasure deletes (the stage's). */
    public static final String ENV_USER_POOL_ID = "GLINT_USER_POOL_ID";
    private static final String SERVICE = "cognito-idp";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final String userPoolId;
    private final URI endpoint;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public CognitoIdentityDirectory(SdkHttpClient http, AwsCredentialsProvider credentials, Region region,
                                    String userPoolId, URI endpoint) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.userPoolId = userPoolId;
        this.endpoint = endpoint;
    }

    /** When the environment names the user pool. */
    public static Optional<IdentityDirectory> fromEnvironment(Map<String, String> env, AwsClients clients) {
        String pool = env.get(ENV_USER_POOL_ID);
        if (pool == null || pool.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new CognitoIdentityDirectory(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)).build(),
                clients.credentials(), clients.region(), pool,
                URI.create("https://cognito-idp." + clients.region().id() + ".amazonaws.com/")));
    }

    @Override
    public void delete(String userId) {
        var body = Json.object();
        body.put("UserPoolId", userPoolId);
        body.put("Username", userId);
        byte[] payload = Json.write(body).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
                .putHeader("Content-Length", Integer.toString(payload.length)).build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            byte[] bytes;
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                bytes = in.readAllBytes();
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 == 2 || "UserNotFoundException".equals(errorType(bytes))) {
                return; // deleted, or deleted before (a replayed page)
            }
            throw new IllegalStateException("Cognito AdminDeleteUser failed: HTTP " + status + " " + errorType(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Cognito did not answer AdminDeleteUser", e);
        }
    }

    private static String errorType(byte[] body) {
        try {
            JsonNode node = Json.readTree(body);
            String type = node == null ? "" : node.path("__type").asText("");
            return type.substring(type.lastIndexOf('#') + 1);
        } catch (JsonProcessingException e) {
            return "";
        }
    }
}
