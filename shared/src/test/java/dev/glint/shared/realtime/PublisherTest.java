package dev.glint.shared.realtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublisherTest {

    private static final String POST = "01JD3X9K2M4N5P6Q7R8S9T0V1W";
    private final InMemoryConnections connections = new InMemoryConnections();
    private final List<String> sent = new ArrayList<>();
    private final Set<String> gone = new java.util.HashSet<>();
    private final ConnectionSender sender = (ids, message) -> {
        Map<String, ConnectionSender.Outcome> out = new LinkedHashMap<>();
        ids.forEach(id -> {
            if (gone.contains(id)) {
                out.put(id, ConnectionSender.Outcome.GONE);
            } else {
                sent.add(id + " " + message);
                out.put(id, ConnectionSender.Outcome.SENT);
            }
        });
        return out;
    };
    private final Publisher publisher = new Publisher(connections, sender);

    private void connect(String connection, String user, Topic... topics) {
        connections.open(connection, user, Instant.EPOCH);
        connections.subscribe(connection, user, Set.of(topics), Instant.EPOCH);
    }

    @Test
    void aUsersEventReachesOnlyTheirConnectionsSubscribedToIt() {
        connect("a1", "alice", new Topic.Notifications());
        connect("a2", "alice", new Topic.Feed());
        connect("b1", "bob", new Topic.Notifications());
        var result = publisher.publish(List.of(Delivery.toUser("alice", new Topic.Notifications(), Map.of("id", "n1"))));
        assertEquals(List.of("a1 {\"topic\":\"notifications\",\"event\":{\"id\":\"n1\"}}"), sent);
        assertEquals(1, result.sent());
    }

    @Test
    void aPostsCountsAreMadeOnlyWhenSomeoneWatchesAndLookedUpOncePerBatch() {
        int[] made = {0};
        publisher.publish(List.of(Delivery.toTopic(new Topic.PostCounts(POST), () -> {
            made[0]++;
            return Optional.of(Map.of("likes", 1));
        })));
        assertEquals(0, made[0], "nobody watches: no read");
        connect("a1", "alice", new Topic.PostCounts(POST));
        connect("b1", "bob", new Topic.PostCounts(POST), new Topic.Feed());
        connections.topicLookups = 0;
        publisher.publish(List.of(Delivery.toTopic(new Topic.PostCounts(POST), () -> {
            made[0]++;
            return Optional.of(Map.of("likes", 2));
        })));
        assertEquals(1, made[0]);
        assertEquals(1, connections.topicLookups);
        assertEquals(2, sent.size());
        assertTrue(sent.get(0).endsWith("{\"topic\":\"post:" + POST + "\",\"event\":{\"likes\":2}}"));
    }

    @Test
    void aGoneConnectionIsRemoved() {
        connect("a1", "alice", new Topic.Feed());
        gone.add("a1");
        var result = publisher.publish(List.of(Delivery.toUser("alice", new Topic.Feed(), Map.of("postId", POST))));
        assertEquals(1, result.gone());
        assertFalse(connections.byId.containsKey("a1"));
    }

    @Test
    void aUserWithManyEventsIsLookedUpOnce() {
        connect("a1", "alice", new Topic.Notifications());
        publisher.publish(List.of(Delivery.toUser("alice", new Topic.Notifications(), Map.of("id", "n1")),
                Delivery.toUser("alice", new Topic.Notifications(), Map.of("id", "n2"))));
        assertEquals(1, connections.userLookups);
        assertEquals(2, sent.size());
    }

    @Test
    void withoutAGatewayNothingIsLookedUp() {
        connect("a1", "alice", new Topic.Feed());
        new Publisher(connections, ConnectionSender.NONE).publish(List.of(Delivery.toUser("alice", new Topic.Feed(), Map.of())));
        assertEquals(0, connections.userLookups);
    }
}
