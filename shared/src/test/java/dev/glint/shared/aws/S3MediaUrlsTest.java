package dev.glint.shared.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendition URLs are the same within a window, signed as of its start, and valid two hours from there. */
class S3MediaUrlsTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

    private static S3MediaUrls at(S3Client s3, String instant) {
        return new S3MediaUrls(s3.utilities(), CREDENTIALS, Region.EU_WEST_1, "glint-media",
                Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    @Test
    void oneWindowOneUrl() {
        try (S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).credentialsProvider(CREDENTIALS).build()) {
            String early = at(s3, "2026-11-22T10:00:05Z").url("media/p1/thumb.jpg");
            String late = at(s3, "2026-11-22T10:29:59Z").url("media/p1/thumb.jpg");
            String next = at(s3, "2026-11-22T10:30:00Z").url("media/p1/thumb.jpg");

            assertEquals(early, late, "the same key within a window gives the same URL");
            assertNotEquals(late, next);
            assertTrue(early.startsWith("https://glint-media.s3.eu-west-1.amazonaws.com/media/p1/thumb.jpg?"), early);
            assertTrue(early.contains("X-Amz-Date=20261122T100000Z"), "signed as of the window's start: " + early);
            assertTrue(early.contains("X-Amz-Expires=7200"), early);
            assertEquals(at(s3, "2026-11-22T10:00:05Z").window(), at(s3, "2026-11-22T10:29:59Z").window());
            assertNotEquals(at(s3, "2026-11-22T10:29:59Z").window(), at(s3, "2026-11-22T10:30:00Z").window());
        }
    }

    @Test
    void aLocalEndpointIsAddressedByPath() {
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(URI.create("http://127.0.0.1:9000")).forcePathStyle(true).build()) {
            String url = at(s3, "2026-11-22T10:00:05Z").url("media/p1/thumb.jpg");
            assertTrue(url.startsWith("http://127.0.0.1:9000/glint-media/media/p1/thumb.jpg?"), url);
        }
    }
}
