package dev.glint.shared.changes;

import dev.glint.shared.ports.ChangeConsumer;
import dev.glint.shared.stream.ChangeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stream processor does with each change. This first cut records each change in the log;
 * counters, rollups, the hashtag index and notifications come with the firehose milestone.
 */
public final class ApplyChange implements ChangeConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyChange.class);

    @Override
    public void accept(ChangeRecord record) {
        LOG.debug("{} of {} (event {}, sequence {})", record.kind(), record.keys(), record.eventId(), record.sequenceNumber());
    }
}
