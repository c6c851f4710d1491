package dev.glint.shared.realtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Open WebSocket connections and what each subscribes to. A connection is found two ways, each by
 * one query and never by a scan: the connections of a user (for their {@code notifications} and
 * {@code feed}), and the connections watching a shared topic (a post's counts). Every entry expires
 * at its {@code expiresAt}, so a connection whose {@code $disconnect} was lost does not linger.
 */
public interface ConnectionStore {

    /** A connection as its user's list holds it. */
    record Connection(String connectionId, String userId, Set<String> topics) {
    }

    /** A connection watching a shared topic. */
    record Subscriber(String connectionId, String userId) {
    }

    /** Records a new connection of the user, subscribed to nothing. */
    void open(String connectionId, String userId, Instant expiresAt);

    /** The connection, if the user has it open. */
    Optional<Connection> find(String connectionId, String userId);

    /** Adds topics to an open connection (its own and, for shared topics, the topic's list). */
    void subscribe(String connectionId, String userId, Set<Topic> topics, Instant expiresAt);

    /** Removes the connection and every subscription of it; removing one that is gone changes nothing. */
    void close(String connectionId, String userId);

    /** Every open connection of the user, with its topics. One query. */
    List<Connection> connectionsOf(String userId);

    /** Every connection subscribed to a shared topic. One query (paged through if large). */
    List<Subscriber> subscribers(Topic.PostCounts topic);
}
