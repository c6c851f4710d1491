package dev.glint.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentDefinitions;
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
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The hosted versions of the experiments' profile, through AppConfig's REST API (the calls
 * {@code ListHostedConfigurationVersions}, {@code GetHostedConfigurationVersion},
 * {@code CreateHostedConfigurationVersion} with {@code Latest-Version-Number} as its lock, and
 * {@code StartDeployment}), signed with the SDK's SigV4 signer: the same requests the SDK's AppConfig
 * client sends, without its jar in the function.
 */
public final class AppConfigHostedDefinitions implements ExperimentDefinitions {

    private static final String SERVICE = "appconfig";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final AppConfigLocation location;
    private final URI endpoint;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public AppConfigHostedDefinitions(SdkHttpClient http, AwsCredentialsProvider credentials, Region region,
                                      AppConfigLocation location) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.location = location;
        this.endpoint = location.endpoint().orElse(URI.create("https://appconfig." + region.id() + ".amazonaws.com"));
    }

    private String versions() {
        return "/applications/" + enc(location.application()) + "/configurationprofiles/" + enc(location.profile())
                + "/hostedconfigurationversions";
    }

    @Override
    public Optional<Version> latest() {
        // Listed newest first: the first item is the latest version.
        Response list = call(SdkHttpMethod.GET, versions(), Map.of("max_results", "1"), Map.of(), null);
        list.requireOk("ListHostedConfigurationVersions");
        JsonNode items = list.json().path("Items");
        if (!items.isArray() || items.isEmpty()) {
            return Optional.empty();
        }
        int number = items.get(0).path("VersionNumber").asInt();
        Response get = call(SdkHttpMethod.GET, versions() + "/" + number, Map.of(), Map.of(), null);
        get.requireOk("GetHostedConfigurationVersion");
        return Optional.of(new Version(number, new String(get.body(), StandardCharsets.UTF_8)));
    }

    @Override
    public int create(String content, int latestVersion, String description) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        // A header: printable ASCII only (a reason is free text), at most AppConfig's 1,024 characters.
        headers.put("Description", header(description));
        if (latestVersion > 0) {
            headers.put("Latest-Version-Number", Integer.toString(latestVersion));
        }
        Response response = call(SdkHttpMethod.POST, versions(), Map.of(), headers, content.getBytes(StandardCharsets.UTF_8));
        if (response.status() == 409) {
            throw new Conflict(response.message());
        }
        response.requireOk("CreateHostedConfigurationVersion");
        return Integer.parseInt(response.header("Version-Number").orElseThrow(() ->
                new IllegalStateException("CreateHostedConfigurationVersion answered without Version-Number")));
    }

    @Override
    public void deploy(int version, String description) {
        var body = Json.object();
        body.put("DeploymentStrategyId", location.strategy().orElseThrow(() ->
                new IllegalStateException(AppConfigLocation.ENV_STRATEGY + " is not set: this function cannot deploy")));
        body.put("ConfigurationProfileId", location.profile());
        body.put("ConfigurationVersion", Integer.toString(version));
        body.put("Description", header(description));
        Response response = call(SdkHttpMethod.POST, "/applications/" + enc(location.application()) + "/environments/"
                        + enc(location.environment()) + "/deployments", Map.of(),
                Map.of("Content-Type", "application/json"), Json.write(body).getBytes(StandardCharsets.UTF_8));
        if (response.status() == 409) {
            throw new Conflict(response.message());
        }
        response.requireOk("StartDeployment");
    }

    private record Response(int status, Map<String, java.util.List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        JsonNode json() {
            try {
                return Json.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("AppConfig answered what is not JSON", e);
            }
        }

        String message() {
            try {
                JsonNode node = Json.readTree(body);
                return node == null ? "" : node.path("Message").asText(node.path("message").asText(""));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return "";
            }
        }

        void requireOk(String operation) {
            if (status / 100 != 2) {
                throw new IllegalStateException("AppConfig " + operation + " failed: HTTP " + status + " "
                        + header("x-amzn-ErrorType").orElse("") + " " + message());
            }
        }
    }

    private Response call(SdkHttpMethod method, String path, Map<String, String> query, Map<String, String> headers,
                          byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(method).uri(endpoint.resolve(path));
        query.forEach(request::putRawQueryParameter);
        headers.forEach(request::putHeader);
        byte[] payload = body == null ? new byte[0] : body;
        if (body != null) {
            request.putHeader("Content-Length", Integer.toString(payload.length));
        }
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(body == null ? null : signed.payload().orElse(null)).build()).call();
            byte[] bytes;
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                bytes = in.readAllBytes();
            }
            return new Response(response.httpResponse().statusCode(), response.httpResponse().headers(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("AppConfig did not answer " + method + " " + path, e);
        }
    }

    static String header(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(1024).forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
