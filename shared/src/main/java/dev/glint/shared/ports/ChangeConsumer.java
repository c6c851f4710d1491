package dev.glint.shared.ports;

import dev.glint.shared.stream.ChangeRecord;

/**
 * A use case driven by the table's change stream. Records of one shard arrive in order, at least
 * once: an implementation must recognise a record it has already applied.
 */
@FunctionalInterface
public interface ChangeConsumer {

    /** Applies one change. Throwing stops the batch at this record, which is retried. */
    void accept(ChangeRecord record);
}
