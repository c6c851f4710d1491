package dev.glint.shared.social;

import dev.glint.shared.ports.PostStore;

import java.util.Optional;

/**
 * The home feed: entries pushed by the fan-out worker, newest first. Deleted posts and posts that
 * are not ready are never shown, even while their entries linger.
 */
public final class Feeds {

    private final PostStore posts;

    public Feeds(PostStore posts) {
        this.posts = posts;
    }

    public Page<Post> feed(String userId, int limit, Optional<PageKey> after) {
        Page<String> ids = posts.feed(userId, limit, after);
        return new Page<>(posts.findAll(ids.items(), false).stream()
                .filter(p -> p.status() == PostStatus.READY).toList(), ids.next());
    }
}
