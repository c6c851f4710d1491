package dev.glint.shared.realtime;

import dev.glint.shared.social.Blocks;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A connection's life: opened by an authorized user, subscribed to topics the user may read, closed.
 * A subscription is all or nothing: one topic refused refuses the request, with a reason the
 * client can act on.
 */
public final class Subscriptions {

    /**
     * How long a connection's entries live unless renewed by a subscription: longer than API
     * Gateway's 2-hour limit on a WebSocket connection, so only a lost {@code $disconnect} leaves them to expire.
     */
    public static final Duration LIFETIME = Duration.ofHours(3);
    /** Topics one request may name. */
    public static final int MAX_TOPICS_PER_REQUEST = 20;
    /** Topics one connection may hold. */
    public static final int MAX_TOPICS_PER_CONNECTION = 50;

    private final ConnectionStore connections;
    private final PostStore posts;
    private final Clock clock;
    private final Blocks blocks;
    private final Predicate<String> erased;

    public Subscriptions(ConnectionStore connections, PostStore posts, Clock clock) {
        this(connections, posts, clock, Blocks.NONE, userId -> false);
    }

    /**
     * @param blocks who is blocked either way with a user: their posts' counts are, to the user, no post's
     * @param erased whether a user deleted their account: its token, valid a while longer, opens no connection
     *               (one would write items naming the user after the erasure removed them)
     */
    public Subscriptions(ConnectionStore connections, PostStore posts, Clock clock, Blocks blocks, Predicate<String> erased) {
        this.blocks = blocks;
        this.erased = erased;
        this.connections = connections;
        this.posts = posts;
        this.clock = clock;
    }

    /** What a subscribe request came to. */
    public sealed interface Outcome {
    }

    /** Subscribed; {@code topics} are all the connection's topics now. */
    public record Subscribed(List<String> topics) implements Outcome {
    }

    /** Nothing subscribed: {@code code} says what, {@code message} tells the client what to fix. */
    public record Refused(String code, String message) implements Outcome {
    }

    /** Opens the connection, or refuses a deleted account's ({@code account_deleted}) and records nothing. */
    public Outcome connect(String connectionId, String userId) {
        if (erased.test(userId)) {
            return new Refused("account_deleted", "This account was deleted and its data is being erased: sign in with another account.");
        }
        connections.open(connectionId, userId, expiry());
        return new Subscribed(List.of());
    }

    public Outcome subscribe(String connectionId, String userId, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return new Refused("invalid_request", "Send {\"action\":\"subscribe\",\"topics\":[...]} with 1 to "
                    + MAX_TOPICS_PER_REQUEST + " topics.");
        }
        if (requested.size() > MAX_TOPICS_PER_REQUEST) {
            return new Refused("too_many_topics", "At most " + MAX_TOPICS_PER_REQUEST + " topics a request.");
        }
        Set<Topic> topics = new LinkedHashSet<>();
        for (String raw : requested) {
            Optional<Topic> topic = Topic.parse(raw);
            if (topic.isEmpty()) {
                return new Refused("unknown_topic", "'" + shorten(raw) + "' is not a topic: use \"notifications\", "
                        + "\"feed\" or \"post:<post id>\".");
            }
            if (topic.get() instanceof Topic.PostCounts post && !visible(post.postId(), userId)) {
                return new Refused("topic_not_allowed", "'" + post.name() + "' is not a post you can see.");
            }
            topics.add(topic.get());
        }
        Optional<ConnectionStore.Connection> connection = connections.find(connectionId, userId);
        if (connection.isEmpty()) {
            return new Refused("not_connected", "This connection is closed; connect again.");
        }
        Set<String> all = new LinkedHashSet<>(connection.get().topics());
        topics.forEach(t -> all.add(t.name()));
        if (all.size() > MAX_TOPICS_PER_CONNECTION) {
            return new Refused("too_many_topics", "A connection holds at most " + MAX_TOPICS_PER_CONNECTION + " topics.");
        }
        connections.subscribe(connectionId, userId, topics, expiry());
        return new Subscribed(List.copyOf(all));
    }

    public void disconnect(String connectionId, String userId) {
        connections.close(connectionId, userId);
    }

    /** As the API shows a post: a ready one to everyone, any other to its author only. */
    private boolean visible(String postId, String userId) {
        Optional<Post> post = posts.find(postId, false).or(() -> posts.find(postId, true));
        return post.filter(p -> p.authorId().equals(userId)
                || (p.status() == PostStatus.READY && blocks.hidden(userId, java.util.List.of(p.authorId())).isEmpty())).isPresent();
    }

    private Instant expiry() {
        return clock.instant().plus(LIFETIME);
    }

    private static String shorten(String raw) {
        String clean = raw == null ? "null" : raw.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
