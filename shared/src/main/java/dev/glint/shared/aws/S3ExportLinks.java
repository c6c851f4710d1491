package dev.glint.shared.aws;

import dev.glint.shared.export.ArchiveLinks;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/**
 * {@link ArchiveLinks} as SigV4 presigned GETs of the uploads bucket, minted on each read; the response
 * is named as a download ({@code Content-Disposition: attachment}).
 */
public final class S3ExportLinks implements ArchiveLinks {

    private final S3Presigner presigner;
    private final String bucket;

    public S3ExportLinks(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public Link download(String objectKey, String fileName, Duration validFor) {
        var signed = presigner.presignGetObject(r -> r.signatureDuration(validFor).getObjectRequest(g -> g.bucket(bucket)
                .key(objectKey).responseContentType("application/zip")
                .responseContentDisposition("attachment; filename=\"" + fileName + "\"")));
        return new Link(signed.url().toString(), signed.expiration());
    }
}
