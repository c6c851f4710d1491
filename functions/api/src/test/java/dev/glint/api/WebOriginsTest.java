package dev.glint.api;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.S3MediaUrls;
import dev.glint.shared.aws.S3UploadSigner;
import dev.glint.shared.config.GlintConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The origins the page's policy names are the origins of the URLs the function's own presigner signs
 * (built as on Lambda, through {@link AwsClients}), for every shape of region and bucket name: a
 * policy that named another host would block the page's uploads or its photos.
 */
class WebOriginsTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example-secret"));

    private static GlintConfig config(String region, String uploads, String media, GlintConfig.Endpoints endpoints) {
        return new GlintConfig(region, "glint", uploads, media, "https://sqs.example/m", "https://sqs.example/f", endpoints,
                GlintConfig.DEFAULT_CELEBRITY_THRESHOLD);
    }

    private static String originOf(String url) {
        return WebOrigins.origin(URI.create(url));
    }

    private static void assertOriginsArePresignersOwn(GlintConfig config) {
        AwsClients clients = new AwsClients(config, CREDENTIALS);
        String put = new S3UploadSigner(clients.s3Presigner(), config.uploadsBucket())
                .presignUpload("owner-1", "upload-1", "image/jpeg", 1234, Duration.ofMinutes(5)).url();
        String get = new S3MediaUrls(clients.s3().utilities(), clients.credentials(), clients.region(), config.mediaBucket(),
                java.time.Clock.systemUTC()).url("media/post-1/w640.jpg");

        WebOrigins origins = WebOrigins.of(config);

        assertEquals(originOf(put), origins.uploads(), put);
        assertEquals(originOf(get), origins.media(), get);
    }

    @ParameterizedTest(name = "{0}: {1}, {2}")
    @CsvSource({
            // us-east-1 signs for the global host, without the region
            "us-east-1,      glint-prod-uploads-9z8y, glint-prod-media-7x6w, https://glint-prod-uploads-9z8y.s3.amazonaws.com",
            "eu-west-1,      glint-beta-uploads-1a2b, glint-beta-media-3c4d, https://glint-beta-uploads-1a2b.s3.eu-west-1.amazonaws.com",
            "us-west-2,      glint-dev-uploads-0000,  glint-dev-media-0000,  https://glint-dev-uploads-0000.s3.us-west-2.amazonaws.com",
            "ap-southeast-2, glint-uploads,           glint-media,           https://glint-uploads.s3.ap-southeast-2.amazonaws.com",
            "eu-central-2,   glint-uploads,           glint-media,           https://glint-uploads.s3.eu-central-2.amazonaws.com",
            // other partitions, other suffixes
            "cn-north-1,     glint-uploads,           glint-media,           https://glint-uploads.s3.cn-north-1.amazonaws.com.cn",
            "us-gov-west-1,  glint-uploads,           glint-media,           https://glint-uploads.s3.us-gov-west-1.amazonaws.com",
            // a bucket name with dots is addressed by path on the regional host
            "eu-west-1,      glint.uploads.example,   glint.media.example,   https://s3.eu-west-1.amazonaws.com",
            "us-east-1,      glint.uploads.example,   glint.media.example,   https://s3.amazonaws.com",
    })
    void onAwsTheOriginsAreThoseOfTheBucketsPresignedUrls(String region, String uploads, String media, String uploadsOrigin) {
        GlintConfig config = config(region, uploads, media, GlintConfig.Endpoints.aws());

        assertOriginsArePresignersOwn(config);
        assertEquals(uploadsOrigin, WebOrigins.of(config).uploads());
    }

    @Test
    void withAnEndpointOverrideTheOriginIsTheOverrides() {
        URI s3 = URI.create("http://127.0.0.1:45678");
        GlintConfig local = config("us-east-1", "glint-local-uploads", "glint-local-media",
                new GlintConfig.Endpoints(Optional.empty(), Optional.empty(), Optional.of(s3)));

        assertOriginsArePresignersOwn(local);
        assertEquals(new WebOrigins("http://127.0.0.1:45678", "http://127.0.0.1:45678"), WebOrigins.of(local));
    }

    @Test
    void anythingButAPlainOriginStopsTheFunctionAtInit() {
        assertThrows(GlintConfig.ConfigurationException.class, () -> new WebOrigins("https://u.example; script-src *", "https://media.example"));
        assertThrows(GlintConfig.ConfigurationException.class, () -> new WebOrigins("https:", "https://media.example"));
        assertThrows(GlintConfig.ConfigurationException.class, () -> new WebOrigins("https://*.amazonaws.com", "https://media.example"));
    }
}
