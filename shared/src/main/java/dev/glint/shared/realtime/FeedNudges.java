package dev.glint.shared.realtime;

import dev.glint.shared.feed.NewPostNudges;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link NewPostNudges} as realtime {@code feed} events: {@code {"postId": ..., "author": {"id", "handle"}}}
 * to the connections of the page's followers that subscribe to their feed, one query per follower
 * and the sends of the page together.
 */
public final class FeedNudges implements NewPostNudges {

    private final Publisher publisher;

    public FeedNudges(Publisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void newPost(String postId, String authorId, String authorHandle, List<String> followerIds) {
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("id", authorId);
        author.put("handle", authorHandle);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("postId", postId);
        event.put("author", author);
        publisher.publish(followerIds.stream().filter(id -> !id.equals(authorId))
                .map(id -> Delivery.toUser(id, new Topic.Feed(), event)).toList());
    }
}
