package dev.glint.shared.aws;

import dev.glint.shared.media.MediaUrls;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Utilities;

import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * {@link MediaUrls} as SigV4 presigned GETs of the media bucket, signed as of the start of the
 * current {@link #WINDOW}: every URL made in a window is the same, and stays valid for
 * {@link #VALIDITY} from the window's start, so a URL handed out at the end of a window still works
 * for {@code VALIDITY - WINDOW} after it. (S3's own presigner signs as of now, so each URL differed
 * every second and no view that held one could be cached.) Signed with the function's credentials,
 * as the presigner does: temporary credentials end a URL early if they expire first.
 */
public final class S3MediaUrls implements MediaUrls {

    /** How long URLs stay the same. */
    public static final Duration WINDOW = SigningWindow.WINDOW;
    /** How long a URL works, from the start of its window: at least 90 minutes after it was handed out. */
    public static final Duration VALIDITY = SigningWindow.VALIDITY;
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final S3Utilities utilities;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final String bucket;
    private final Clock clock;

    /** @param utilities the media client's, so URLs name its endpoint and addressing style */
    public S3MediaUrls(S3Utilities utilities, AwsCredentialsProvider credentials, Region region, String bucket, Clock clock) {
        this.utilities = utilities;
        this.credentials = credentials;
        this.region = region;
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public String url(String objectKey) {
        Instant signedAt = SigningWindow.start(SigningWindow.of(clock.instant()));
        SdkHttpRequest request;
        try {
            request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                    .uri(utilities.getUrl(r -> r.bucket(bucket).key(objectKey)).toURI()).build();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no URL for " + objectKey, e);
        }
        return SIGNER.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, VALIDITY)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request().getUri().toString();
    }

    @Override
    public String window() {
        return Long.toString(SigningWindow.of(clock.instant()));
    }
}
