package dev.glint.shared.media;

import dev.glint.shared.blobs.BlobStore;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.Publishing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The media pipeline: reads a post's original, makes its renditions, marks the post ready (or
 * failed with a reason the author can read), deletes the original (it may carry GPS) and asks for
 * the post's fan-out. Idempotent: renditions have fixed keys, the state changes only from
 * {@code processing}, and a redelivered job for a ready post only asks for the fan-out again.
 */
public final class ProcessMedia implements MessageConsumer<MediaJob> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMedia.class);

    private final PostStore posts;
    private final BlobStore uploads;
    private final RenditionStore media;
    private final TaskQueue tasks;
    private final ImageProcessor images;

    public ProcessMedia(PostStore posts, BlobStore uploads, RenditionStore media, TaskQueue tasks, ImageProcessor images) {
        this.posts = posts;
        this.uploads = uploads;
        this.media = media;
        this.tasks = tasks;
        this.images = images;
    }

    @Override
    public void accept(MediaJob job, Delivery delivery) {
        Optional<Post> found = posts.find(job.postId(), true);
        if (found.isEmpty()) {
            LOG.info("post {} is gone; nothing to process", job.postId());
            uploads.delete(job.uploadKey());
            return;
        }
        Post post = found.get();
        if (post.status() == PostStatus.READY) {
            // A redelivery after a crash between marking the post ready and deleting the original.
            uploads.delete(job.uploadKey());
            tasks.send(FanoutJob.firstPage(post.id(), post.authorId()));
            return;
        }
        if (post.status() == PostStatus.FAILED) {
            return;
        }
        Optional<byte[]> original;
        try {
            original = uploads.read(job.uploadKey(), Publishing.MAX_UPLOAD_BYTES);
        } catch (BlobStore.TooLarge e) {
            fail(post, job, "The photo is larger than 20 MB.");
            return;
        }
        if (original.isEmpty()) {
            fail(post, job, "The photo never arrived or has expired; upload it again.");
            return;
        }
        long started = System.nanoTime();
        ImageProcessor.Result result = images.process(original.get());
        if (result instanceof ImageProcessor.Rejected rejected) {
            fail(post, job, rejected.reason());
        } else if (result instanceof ImageProcessor.Processed processed) {
            Map<String, String> keys = new LinkedHashMap<>();
            processed.renditions().forEach((name, bytes) -> keys.put(name, media.put(post.id(), name, bytes)));
            if (!posts.markReady(post.id(), keys) && posts.find(post.id(), true).isEmpty()) {
                // Deleted while its photo was processed: nothing of it may stay behind.
                media.deleteAll(post.id());
                uploads.delete(job.uploadKey());
                LOG.info("post {} was deleted while processing; its renditions are removed", post.id());
                return;
            }
            uploads.delete(job.uploadKey());
            tasks.send(FanoutJob.firstPage(post.id(), post.authorId()));
            LOG.info("post {} ready: {}x{} original, {} renditions in {} ms", post.id(), processed.width(),
                    processed.height(), keys.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void fail(Post post, MediaJob job, String reason) {
        posts.markFailed(post.id(), reason);
        uploads.delete(job.uploadKey());
        LOG.info("post {} failed: {}", post.id(), reason);
    }
}
