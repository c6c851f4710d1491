package dev.glint.shared.changes;

import java.util.List;

/**
 * A use case driven by the table's changes. Changes of one shard arrive in order, at least once: an
 * implementation must recognise a change it has already applied.
 */
@FunctionalInterface
public interface ChangeConsumer {

    /** Applies one change. Throwing stops the batch at this change, which is retried. */
    void accept(TableChange change);

    /**
     * Applies a batch in order. By default, change by change; a consumer that aggregates a batch
     * (counters written once per batch instead of once per change) overrides it.
     *
     * @throws BatchFailure naming the first change that was not applied; the changes before it were
     */
    default void acceptBatch(List<TableChange> changes) {
        for (int i = 0; i < changes.size(); i++) {
            try {
                accept(changes.get(i));
            } catch (RuntimeException e) {
                throw new BatchFailure(i, e);
            }
        }
    }

    /** Changes from {@code index} on were not applied. */
    final class BatchFailure extends RuntimeException {
        private final int index;

        public BatchFailure(int index, Throwable cause) {
            super("change " + index + " of the batch failed", cause);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }
}
