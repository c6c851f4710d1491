package dev.glint.shared.aws;

import dev.glint.shared.media.RenditionStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link RenditionStore} on the media bucket: {@code media/<post>/<rendition>.jpg} ({@link Keys#rendition}). */
public final class S3RenditionStore implements RenditionStore {

    private final S3Client s3;
    private final String bucket;

    public S3RenditionStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String put(String postId, String rendition, byte[] jpeg) {
        String key = Keys.rendition(postId, rendition);
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg));
        return key;
    }
}
