package dev.glint.shared.ports;

import dev.glint.shared.messages.QueueMessage;

/** Puts a typed message on the queue its type belongs to. */
public interface TaskQueue {

    void send(QueueMessage message);
}
