package dev.glint.shared.media;

import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.ports.BlobStore;
import dev.glint.shared.ports.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media pipeline's use case. This first cut only checks that the upload it is asked about
 * exists (a job for a missing upload fails and, after retries, lands in the dead-letter queue);
 * validation and renditions come with the offline-work milestone.
 */
public final class ProcessMedia implements MessageConsumer<MediaJob> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMedia.class);

    private final BlobStore uploads;

    public ProcessMedia(BlobStore uploads) {
        this.uploads = uploads;
    }

    @Override
    public void accept(MediaJob job, Delivery delivery) {
        if (!uploads.exists(job.uploadKey())) {
            throw new UploadMissingException(job.uploadKey());
        }
        LOG.info("media job for post {} found its upload {}", job.postId(), job.uploadKey());
    }

    /** The upload a job names is not in the uploads bucket. */
    public static final class UploadMissingException extends RuntimeException {
        public UploadMissingException(String key) {
            super("upload " + key + " does not exist");
        }
    }
}
