package dev.glint.shared.aws;

import dev.glint.shared.blobs.BlobStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** {@link BlobStore} over one S3 bucket. */
public final class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;

    public S3BlobStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
        try {
            return Optional.of(s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.unmanaged((response, in) -> {
                if (response.contentLength() != null && response.contentLength() > maxBytes) {
                    in.abort();
                    throw new TooLarge(key, response.contentLength());
                }
                return readAtMost(in, key, maxBytes);
            })));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private static byte[] readAtMost(InputStream in, String key, long maxBytes) {
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new TooLarge(key, bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " failed", e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
