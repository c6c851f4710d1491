package dev.glint.shared.realtime;

import dev.glint.shared.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends events to the connections subscribed to their topics, never to anyone else: a user's own
 * topic is looked up by one query of that user's connections, a shared topic by one query of its
 * subscribers, each once per batch of deliveries however many events it carries. A connection the
 * gateway reports gone is removed. Realtime delivery is best effort: a failure is logged and the
 * caller's work (counting, fan-out) goes on; clients catch up on their next read.
 */
public final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final ConnectionStore connections;
    private final ConnectionSender sender;
    public Publisher(ConnectionStore connections, ConnectionSender sender) {
        this.connections = connections;
        this.sender = sender;
    }

    /** What one call did: connections sent to, found gone, failed. */
    public record Result(int sent, int gone, int failed) {
        static final Result NONE = new Result(0, 0, 0);
    }

    public Result publish(Collection<Delivery> deliveries) {
        if (deliveries.isEmpty() || sender == ConnectionSender.NONE) {
            return Result.NONE;
        }
        // message -> connection -> its user (the user is what removing a gone connection needs)
        Map<String, Map<String, String>> byMessage = new LinkedHashMap<>();
        Map<String, List<ConnectionStore.Connection>> ofUser = new HashMap<>();
        Map<String, List<ConnectionStore.Subscriber>> ofTopic = new HashMap<>();
        for (Delivery delivery : deliveries) {
            Map<String, String> targets = new LinkedHashMap<>();
            try {
                if (delivery.userId().isPresent()) {
                    String user = delivery.userId().get();
                    String topic = delivery.topic().name();
                    ofUser.computeIfAbsent(user, connections::connectionsOf).stream()
                            .filter(c -> c.topics().contains(topic))
                            .forEach(c -> targets.put(c.connectionId(), c.userId()));
                } else if (delivery.topic() instanceof Topic.PostCounts post) {
                    ofTopic.computeIfAbsent(post.name(), name -> connections.subscribers(post))
                            .forEach(s -> targets.put(s.connectionId(), s.userId()));
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot look up the subscribers of {}; its event is not sent", delivery.topic().name(), e);
                continue;
            }
            if (!targets.isEmpty()) {
                Optional<?> event;
                try {
                    event = delivery.event().get();
                } catch (RuntimeException e) {
                    LOG.warn("cannot make the event of {}; it is not sent", delivery.topic().name(), e);
                    continue;
                }
                if (event.isEmpty()) {
                    continue;
                }
                String message = message(delivery.topic(), event.get());
                byMessage.computeIfAbsent(message, m -> new LinkedHashMap<>()).putAll(targets);
            }
        }
        int sent = 0;
        int gone = 0;
        int failed = 0;
        Set<String> removed = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, String>> entry : byMessage.entrySet()) {
            Map<String, ConnectionSender.Outcome> outcomes;
            try {
                outcomes = sender.sendAll(entry.getValue().keySet(), entry.getKey());
            } catch (RuntimeException e) {
                LOG.warn("cannot send to {} connections", entry.getValue().size(), e);
                failed += entry.getValue().size();
                continue;
            }
            for (Map.Entry<String, ConnectionSender.Outcome> outcome : outcomes.entrySet()) {
                switch (outcome.getValue()) {
                    case SENT -> sent++;
                    case FAILED -> failed++;
                    case GONE -> {
                        gone++;
                        String connectionId = outcome.getKey();
                        if (removed.add(connectionId)) {
                            remove(connectionId, entry.getValue().get(connectionId));
                        }
                    }
                }
            }
        }
        LOG.debug("realtime: {} deliveries, {} sent, {} gone, {} failed", deliveries.size(), sent, gone, failed);
        return new Result(sent, gone, failed);
    }

    private void remove(String connectionId, String userId) {
        try {
            connections.close(connectionId, userId);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove gone connection {}; it expires by itself", connectionId, e);
        }
    }

    /** {@code {"topic": ..., "event": ...}}, as clients receive every event. */
    static String message(Topic topic, Object event) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("topic", topic.name());
        message.put("event", event);
        return Json.write(message);
    }

    /** Deliveries gathered while a batch is applied, published once at its end. */
    public static final class Outbox {
        private final List<Delivery> pending = new ArrayList<>();

        public synchronized void add(Delivery delivery) {
            pending.add(delivery);
        }

        public synchronized List<Delivery> drain() {
            List<Delivery> out = List.copyOf(pending);
            pending.clear();
            return out;
        }
    }

    /** Publishes what the outbox gathered. */
    public Result flush(Outbox outbox) {
        return publish(outbox.drain());
    }
}
