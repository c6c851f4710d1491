package dev.glint.shared.feed;

import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.ports.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feed fan-out's use case. This first cut accepts well-formed jobs and records them in the log;
 * pushing posts into followers' feeds page by page comes with the offline-work milestone.
 */
public final class FanOutPost implements MessageConsumer<FanoutJob> {

    private static final Logger LOG = LoggerFactory.getLogger(FanOutPost.class);

    @Override
    public void accept(FanoutJob job, Delivery delivery) {
        LOG.info("fan-out of post {} by {} (page cursor {}) received, delivery {}",
                job.postId(), job.authorId(), job.cursor(), delivery.receiveCount());
    }
}
