package dev.glint.shared.realtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link ConnectionStore} in memory, counting the lookups the publisher makes. */
public final class InMemoryConnections implements ConnectionStore {

    public final Map<String, Connection> byId = new LinkedHashMap<>();
    final Map<String, Set<String>> topicSubscribers = new LinkedHashMap<>();
    int userLookups;
    int topicLookups;

    @Override
    public void open(String connectionId, String userId, Instant expiresAt) {
        byId.put(connectionId, new Connection(connectionId, userId, Set.of()));
    }

    @Override
    public Optional<Connection> find(String connectionId, String userId) {
        return Optional.ofNullable(byId.get(connectionId)).filter(c -> c.userId().equals(userId));
    }

    @Override
    public void subscribe(String connectionId, String userId, Set<Topic> topics, Instant expiresAt) {
        Connection c = find(connectionId, userId).orElseThrow();
        Set<String> all = new LinkedHashSet<>(c.topics());
        topics.forEach(t -> all.add(t.name()));
        byId.put(connectionId, new Connection(connectionId, userId, Set.copyOf(all)));
        topics.stream().filter(t -> t instanceof Topic.PostCounts)
                .forEach(t -> topicSubscribers.computeIfAbsent(t.name(), n -> new LinkedHashSet<>()).add(connectionId));
    }

    @Override
    public void close(String connectionId, String userId) {
        byId.remove(connectionId);
        topicSubscribers.values().forEach(s -> s.remove(connectionId));
    }

    @Override
    public List<Connection> connectionsOf(String userId) {
        userLookups++;
        return byId.values().stream().filter(c -> c.userId().equals(userId)).toList();
    }

    @Override
    public List<Subscriber> subscribers(Topic.PostCounts topic) {
        topicLookups++;
        List<Subscriber> out = new ArrayList<>();
        topicSubscribers.getOrDefault(topic.name(), Set.of())
                .forEach(id -> out.add(new Subscriber(id, byId.get(id).userId())));
        return out;
    }
}
