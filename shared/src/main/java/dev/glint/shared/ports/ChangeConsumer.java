package dev.glint.shared.ports;

import dev.glint.shared.stream.ChangeRecord;

import java.util.List;

/**
 * A use case driven by the table's change stream. Records of one shard arrive in order, at least
 * once: an implementation must recognise a record it has already applied.
 */
@FunctionalInterface
public interface ChangeConsumer {

    /** Applies one change. Throwing stops the batch at this record, which is retried. */
    void accept(ChangeRecord record);

    /**
     * Applies a batch in order. By default, record by record; a consumer that aggregates a batch
     * (counters written once per batch instead of once per record) overrides it.
     *
     * @throws BatchFailure naming the first record that was not applied; the records before it were
     */
    default void acceptBatch(List<ChangeRecord> records) {
        for (int i = 0; i < records.size(); i++) {
            try {
                accept(records.get(i));
            } catch (RuntimeException e) {
                throw new BatchFailure(i, e);
            }
        }
    }

    /** Records from {@code index} on were not applied. */
    final class BatchFailure extends RuntimeException {
        private final int index;

        public BatchFailure(int index, Throwable cause) {
            super("record " + index + " of the batch failed", cause);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }
}
