package dev.glint.shared.aws;

import dev.glint.shared.social.UploadSigner;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link UploadSigner} for the uploads bucket: a SigV4 presigned PUT that binds the content type and
 * length, to {@code uploads/<owner>/<upload>} ({@link Keys#uploadObject}), so a URL reaches only its
 * owner's prefix.
 */
public final class S3UploadSigner implements UploadSigner {

    private final S3Presigner presigner;
    private final String bucket;

    public S3UploadSigner(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public Presigned presignUpload(String ownerId, String uploadId, String contentType, long contentLength, Duration ttl) {
        String objectKey = Keys.uploadObject(ownerId, uploadId);
        PresignedPutObjectRequest signed = presigner.presignPutObject(r -> r.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket).key(objectKey).contentType(contentType).contentLength(contentLength)));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        headers.putIfAbsent("content-type", contentType);
        return new Presigned(objectKey, signed.url().toString(), signed.httpRequest().method().name(), headers,
                signed.expiration());
    }

}
