package dev.glint.shared.media;

import dev.glint.shared.blobs.BlobStore;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.social.Photo;
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
 * The media pipeline, one job per photo of a post: reads the photo's original, makes its renditions
 * and blurhash (the square crop around its focal point), keeps them on the post, which is ready once
 * all its photos are (or failed, with the reason of the first photo refused, and no rendition of any
 * photo kept), deletes the original (it may carry GPS) and asks for the post's fan-out once ready.
 * Photos of one album are processed in parallel. Idempotent: renditions have fixed keys, a photo is
 * kept only while the post is {@code processing}, and a redelivered job for a ready post only asks
 * for the fan-out again.
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
            // Another photo of the album failed it: this photo's original goes too.
            uploads.delete(job.uploadKey());
            return;
        }
        int index = indexOf(post, job.uploadKey());
        if (index < 0) {
            LOG.warn("post {} has no photo uploaded at {}; the job is dropped", post.id(), job.uploadKey());
            return;
        }
        Photo photo = post.photos().get(index);
        long started = System.nanoTime();
        Photo processed;
        if (photo.processed()) {
            // A redelivery after a crash between keeping this photo and marking the post ready.
            processed = photo;
        } else {
            Optional<byte[]> original;
            try {
                original = uploads.read(job.uploadKey(), Publishing.MAX_UPLOAD_BYTES);
            } catch (BlobStore.TooLarge e) {
                fail(post, index, job, "The photo is larger than 20 MB.");
                return;
            }
            if (original.isEmpty()) {
                fail(post, index, job, "The photo never arrived or has expired; upload it again.");
                return;
            }
            ImageProcessor.Result result = images.process(original.get(), photo.focalPoint());
            if (result instanceof ImageProcessor.Rejected rejected) {
                fail(post, index, job, rejected.reason());
                return;
            }
            ImageProcessor.Processed done = (ImageProcessor.Processed) result;
            Map<String, String> keys = new LinkedHashMap<>();
            done.renditions().forEach((name, bytes) -> keys.put(name, media.put(post.id(), index, name, bytes)));
            processed = photo.processed(keys, done.blurhash(), done.width(), done.height());
        }
        PostStore.PhotoSaved saved = posts.savePhoto(post, index, processed);
        if (saved == PostStore.PhotoSaved.NOT_PROCESSING) {
            Optional<Post> now = posts.find(post.id(), true);
            if (now.isEmpty() || now.get().status() == PostStatus.FAILED) {
                // Deleted, or failed by another photo, while this one was processed: nothing of it may stay behind.
                media.deleteAll(post.id());
                LOG.info("post {} was {} while its photo {} was processed; its renditions are removed", post.id(),
                        now.isEmpty() ? "deleted" : "failed", index + 1);
            }
            uploads.delete(job.uploadKey());
            return;
        }
        uploads.delete(job.uploadKey());
        if (saved == PostStore.PhotoSaved.POST_READY) {
            tasks.send(FanoutJob.firstPage(post.id(), post.authorId()));
        }
        LOG.info("post {} photo {} of {} processed ({}x{}, {} renditions) in {} ms{}", post.id(), index + 1,
                post.photos().size(), processed.width(), processed.height(), processed.media().size(),
                (System.nanoTime() - started) / 1_000_000, saved == PostStore.PhotoSaved.POST_READY ? "; post ready" : "");
    }

    /** The photo of the post uploaded at this key; a post written before albums has one photo and no key kept. */
    private static int indexOf(Post post, String uploadKey) {
        for (int i = 0; i < post.photos().size(); i++) {
            if (uploadKey.equals(post.photos().get(i).objectKey())) {
                return i;
            }
        }
        return post.photos().size() == 1 && post.photos().get(0).objectKey() == null ? 0 : -1;
    }

    /**
     * The post fails with this photo's reason (the first photo to fail decides it) and keeps no
     * rendition of any of its photos.
     */
    private void fail(Post post, int index, MediaJob job, String reason) {
        String why = post.photos().size() == 1 ? reason : "Photo " + (index + 1) + " of " + post.photos().size() + ": " + reason;
        if (posts.markFailed(post.id(), why)) {
            media.deleteAll(post.id());
        }
        uploads.delete(job.uploadKey());
        LOG.info("post {} failed: {}", post.id(), why);
    }
}
