package dev.glint.shared.aws;

import dev.glint.shared.media.MediaUrls;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/** {@link MediaUrls} as presigned GETs of the media bucket, valid for {@link #VALIDITY}. */
public final class S3MediaUrls implements MediaUrls {

    /** How long a rendition URL handed out in a view works. */
    public static final Duration VALIDITY = Duration.ofHours(1);

    private final S3Presigner presigner;
    private final String bucket;

    public S3MediaUrls(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public String url(String objectKey) {
        return presigner.presignGetObject(r -> r.signatureDuration(VALIDITY)
                .getObjectRequest(g -> g.bucket(bucket).key(objectKey))).url().toString();
    }
}
