package dev.glint.shared.realtime;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One event for one topic: a user's own topic ({@code userId} set: their connections subscribed to
 * it), or a shared topic (every connection subscribed to it). The event is made only when someone
 * is subscribed, so an event that costs a read (a post's counts) costs nothing while nobody watches.
 *
 * @param event what the client receives under {@code "event"} (a map, list, record or tree that
 *              {@link dev.glint.shared.json.Json#write} writes); empty: nothing to send after all
 */
public record Delivery(Topic topic, Optional<String> userId, Supplier<Optional<?>> event) {

    public static Delivery toUser(String userId, Topic topic, Object event) {
        if (topic instanceof Topic.PostCounts) {
            throw new IllegalArgumentException("a post's counts go to the topic's subscribers, not to one user");
        }
        return new Delivery(topic, Optional.of(userId), () -> Optional.of(event));
    }

    /** To a shared topic's subscribers; {@code event} is called only if there are some. */
    public static Delivery toTopic(Topic.PostCounts topic, Supplier<Optional<?>> event) {
        return new Delivery(topic, Optional.empty(), event);
    }
}
