package dev.glint.shared.media;

import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.PurgeJob;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.PostStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * What a deleted post leaves behind goes: its renditions first (so links already handed out stop
 * showing the photo within seconds), then its comments and likes, {@link #PAGE} a message, each page
 * enqueuing the next. Idempotent: deleting what is gone changes nothing, so a replayed page or a
 * retried job only repeats harmless deletes.
 */
public final class PurgePost implements MessageConsumer<PurgeJob> {

    private static final Logger LOG = LoggerFactory.getLogger(PurgePost.class);
    /** Comments and likes deleted per message. */
    public static final int PAGE = 200;

    private final PostStore posts;
    private final RenditionStore media;
    private final TaskQueue tasks;

    public PurgePost(PostStore posts, RenditionStore media, TaskQueue tasks) {
        this.posts = posts;
        this.media = media;
        this.tasks = tasks;
    }

    @Override
    public void accept(PurgeJob job, Delivery delivery) {
        if (posts.find(job.postId(), true).isPresent()) {
            // Post ids are never reused: a post that is there was not deleted, and nothing of it goes.
            LOG.warn("post {} exists; nothing to purge", job.postId());
            return;
        }
        if (job.cursor() == null) {
            media.deleteAll(job.postId());
        }
        Optional<PageToken> next = posts.purgeEngagement(job.postId(), Optional.ofNullable(job.cursor()).map(PageToken::of), PAGE);
        next.ifPresentOrElse(
                token -> tasks.send(new PurgeJob(PurgeJob.TYPE, PurgeJob.VERSION, job.postId(), token.value())),
                () -> LOG.info("post {} purged: renditions, comments and likes", job.postId()));
    }
}
