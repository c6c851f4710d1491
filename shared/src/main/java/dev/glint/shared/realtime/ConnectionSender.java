package dev.glint.shared.realtime;

import java.util.Collection;
import java.util.Map;

/**
 * Sends messages down open WebSocket connections (API Gateway's management API on AWS and in the
 * local stack alike).
 */
public interface ConnectionSender {

    /** What became of one message. */
    enum Outcome {
        /** Handed to the connection. */
        SENT,
        /** The connection is gone (410): its entries can go. */
        GONE,
        /** Not delivered for another reason (throttled, an error): logged, the connection is kept. */
        FAILED
    }

    /** Sends the same message to each connection; the sends of one call may run in parallel. */
    Map<String, Outcome> sendAll(Collection<String> connectionIds, String message);

    /** For stages without a WebSocket API: nothing is sent, and nobody can be connected anyway. */
    ConnectionSender NONE = (ids, message) -> Map.of();
}
