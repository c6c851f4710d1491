package dev.glint.shared.messages;

/** Puts a typed message on the queue its type belongs to. */
public interface TaskQueue {

    void send(QueueMessage message);
}
