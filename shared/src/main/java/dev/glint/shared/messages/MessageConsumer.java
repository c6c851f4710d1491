package dev.glint.shared.messages;

/**
 * A use case driven by a queue. Deliveries are at least once: an implementation must be
 * idempotent, so a redelivered message changes nothing.
 */
@FunctionalInterface
public interface MessageConsumer<T extends QueueMessage> {

    /**
     * Handles one message. Throwing marks this message, and only it, as failed: it is delivered
     * again later and moves to the dead-letter queue after the queue's maxReceiveCount.
     */
    void accept(T message, Delivery delivery);

    /** Facts about one delivery. {@code receiveCount} starts at 1. */
    record Delivery(String messageId, int receiveCount) {
    }
}
