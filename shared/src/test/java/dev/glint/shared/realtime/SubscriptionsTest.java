package dev.glint.shared.realtime;

import dev.glint.shared.social.Blocks;
import dev.glint.shared.social.InMemoryPosts;
import dev.glint.shared.social.InMemoryProfiles;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T05:00:00Z");
    private static final String READY = "01JD3X9K2M4N5P6Q7R8S9T0V1W";
    private static final String PROCESSING = "01JD3X9K2M4N5P6Q7R8S9T0V1X";

    private final InMemoryConnections connections = new InMemoryConnections();
    private final InMemoryPosts posts = new InMemoryPosts(new InMemoryProfiles());
    private final Subscriptions subscriptions = new Subscriptions(connections, posts, Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void posts() {
        posts.posts.put(READY, post(READY, "bob", PostStatus.READY));
        posts.posts.put(PROCESSING, post(PROCESSING, "bob", PostStatus.PROCESSING));
        subscriptions.connect("c1", "alice");
    }

    private static Post post(String id, String author, PostStatus status) {
        return new Post(id, author, "", status, List.of(Photo.of("u", "k", "", null)), NOW, 0, 0, null, 1);
    }

    @Test
    void ownTopicsAndAReadyPostAreSubscribed() {
        var outcome = subscriptions.subscribe("c1", "alice", List.of("notifications", "feed", "post:" + READY));
        assertEquals(new Subscriptions.Subscribed(List.of("notifications", "feed", "post:" + READY)), outcome);
        assertEquals(Set.of("c1"), connections.topicSubscribers.get("post:" + READY));
    }

    @Test
    void someoneElsesUnreadyPostIsRefusedAndNothingIsSubscribed() {
        var outcome = subscriptions.subscribe("c1", "alice", List.of("notifications", "post:" + PROCESSING));
        var refused = assertInstanceOf(Subscriptions.Refused.class, outcome);
        assertEquals("topic_not_allowed", refused.code());
        assertTrue(connections.byId.get("c1").topics().isEmpty(), "all or nothing");
        assertTrue(connections.topicSubscribers.isEmpty());
    }

    @Test
    void theAuthorMayWatchTheirOwnUnreadyPost() {
        subscriptions.connect("c2", "bob");
        assertInstanceOf(Subscriptions.Subscribed.class, subscriptions.subscribe("c2", "bob", List.of("post:" + PROCESSING)));
    }

    @Test
    void garbageTopicsAreRefusedWithWhatToSendInstead() {
        for (String topic : List.of("everything", "notifications:bob", "post:", "post:../x", "POST:" + READY, "")) {
            var refused = assertInstanceOf(Subscriptions.Refused.class, subscriptions.subscribe("c1", "alice", List.of(topic)), topic);
            assertEquals("unknown_topic", refused.code(), topic);
        }
        var missing = assertInstanceOf(Subscriptions.Refused.class,
                subscriptions.subscribe("c1", "alice", List.of("post:01JD3X9K2M4N5P6Q7R8S9T0V1Z")));
        assertEquals("topic_not_allowed", missing.code());
        assertEquals("invalid_request", ((Subscriptions.Refused) subscriptions.subscribe("c1", "alice", List.of())).code());
    }

    @Test
    void aPostOfSomeoneBlockedEitherWayIsRefusedAsAMissingPostIs() {
        var blocking = new Subscriptions(connections, posts, Clock.fixed(NOW, ZoneOffset.UTC),
                (viewer, others) -> viewer.equals("alice") && others.contains("bob") ? Set.of("bob") : Set.of(), userId -> false);
        String missingId = "01JD3X9K2M4N5P6Q7R8S9T0V1Z";
        var blocked = assertInstanceOf(Subscriptions.Refused.class, blocking.subscribe("c1", "alice", List.of("post:" + READY)));
        var missing = assertInstanceOf(Subscriptions.Refused.class, blocking.subscribe("c1", "alice", List.of("post:" + missingId)));
        assertEquals(missing, new Subscriptions.Refused(blocked.code(), blocked.message().replace(READY, missingId)));
        assertTrue(connections.topicSubscribers.isEmpty());
        // The author still watches their own post.
        blocking.connect("c2", "bob");
        assertInstanceOf(Subscriptions.Subscribed.class, blocking.subscribe("c2", "bob", List.of("post:" + READY)));
    }

    @Test
    void aDeletedAccountsTokenOpensNoConnection() {
        var erasing = new Subscriptions(connections, posts, Clock.fixed(NOW, ZoneOffset.UTC), Blocks.NONE, "carol"::equals);
        var refused = assertInstanceOf(Subscriptions.Refused.class, erasing.connect("c9", "carol"));
        assertEquals("account_deleted", refused.code());
        assertTrue(connections.find("c9", "carol").isEmpty(), "nothing written that names the deleted user");
        assertInstanceOf(Subscriptions.Subscribed.class, erasing.connect("c8", "dave"));
        assertTrue(connections.find("c8", "dave").isPresent());
    }

    @Test
    void aClosedConnectionCannotSubscribe() {
        subscriptions.disconnect("c1", "alice");
        assertEquals("not_connected",
                ((Subscriptions.Refused) subscriptions.subscribe("c1", "alice", List.of("feed"))).code());
    }
}
