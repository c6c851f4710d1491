package dev.glint.shared.social;

import dev.glint.shared.ports.PostStore;
import dev.glint.shared.ports.TagStore;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Ready posts under a hashtag, newest first, across the tag's day buckets. */
public final class TagSearch {

    /** Empty days one page looks back across before it stops (the cursor continues from there). */
    public static final int MAX_DAYS_PER_PAGE = 14;

    private final TagStore tags;
    private final PostStore posts;
    private final Clock clock;

    public TagSearch(TagStore tags, PostStore posts, Clock clock) {
        this.tags = tags;
        this.posts = posts;
        this.clock = clock;
    }

    public Page<Post> posts(String tag, int limit, Optional<PageKey> after) {
        if (!Hashtags.valid(tag)) {
            throw SocialException.invalid("invalid_tag", "A tag is 1-50 letters, digits or '_' (without the '#').");
        }
        String normalized = tag.toLowerCase(Locale.ROOT);
        String day = after.map(k -> k.values().get("day")).orElse(Hashtags.day(clock.instant()));
        Optional<String> afterPost = after.map(k -> k.values().get("after")).filter(s -> !s.isEmpty());
        TagStore.TagPage page = tags.posts(normalized, day, afterPost, limit, MAX_DAYS_PER_PAGE);
        var shown = posts.findAll(page.postIds(), false).stream().filter(p -> p.status() == PostStatus.READY).toList();
        Optional<PageKey> next = page.nextDay().map(nextDay -> {
            Map<String, String> values = new HashMap<>();
            values.put("day", nextDay);
            values.put("after", page.nextAfter().orElse(""));
            return new PageKey(values);
        });
        return new Page<>(shown, next);
    }
}
