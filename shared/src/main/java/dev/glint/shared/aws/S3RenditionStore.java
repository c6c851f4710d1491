package dev.glint.shared.aws;

import dev.glint.shared.media.RenditionStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.util.List;

/** {@link RenditionStore} on the media bucket: {@code media/<post>/[<photo>/]<rendition>.jpg} ({@link Keys#rendition}). */
public final class S3RenditionStore implements RenditionStore {

    private final S3Client s3;
    private final String bucket;

    public S3RenditionStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String put(String postId, int photo, String rendition, byte[] jpeg) {
        String key = Keys.rendition(postId, photo, rendition);
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg));
        return key;
    }

    @Override
    public void deleteAll(String postId) {
        String prefix = Keys.renditionPrefix(postId);
        for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))) {
            List<ObjectIdentifier> objects = page.contents().stream()
                    .map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList();
            if (!objects.isEmpty()) {
                var deleted = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(objects).quiet(true)));
                if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
                    throw new IllegalStateException("renditions of " + postId + " were not all deleted: "
                            + deleted.errors().get(0).code());
                }
            }
        }
    }
}
