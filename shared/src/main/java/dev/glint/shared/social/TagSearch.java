package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.util.LinkedHashMap;
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
    private final PrivateAuthors privateAuthors;

    public TagSearch(TagStore tags, PostStore posts, Clock clock) {
        this(tags, posts, PrivateAuthors.NONE, clock);
    }

    /**
     * @param privateAuthors private accounts a viewer does not follow: their posts leave the viewer's pages (the
     *                       index keeps them, so making an account private or public rewrites nothing)
     */
    public TagSearch(TagStore tags, PostStore posts, PrivateAuthors privateAuthors, Clock clock) {
        this.privateAuthors = privateAuthors;
        this.tags = tags;
        this.posts = posts;
        this.clock = clock;
    }

    /**
     * A page of the tag's ready posts, newest first, without the posts of private accounts the viewer does not
     * follow: one batch read of two keys per distinct author on the page (profile and follow edge), none for
     * the viewer's own posts; a page may hold fewer than {@code limit}.
     */
    public Page<Post> posts(String tag, String viewerId, int limit, Optional<PageToken> after) {
        if (!Hashtags.valid(tag)) {
            throw SocialException.invalid("invalid_tag", "A tag is 1-50 letters, digits or '_' (without the '#').");
        }
        String normalized = tag.toLowerCase(Locale.ROOT);
        Map<String, String> position = after.map(PageToken::parts).orElse(Map.of());
        String day = position.getOrDefault("day", Hashtags.day(clock.instant()));
        Optional<String> afterPost = Optional.ofNullable(position.get("after")).filter(s -> !s.isEmpty());
        TagStore.TagPage page = tags.posts(normalized, day, afterPost, limit, MAX_DAYS_PER_PAGE);
        var ready = posts.findAll(page.postIds(), false).stream().filter(p -> p.status() == PostStatus.READY).toList();
        var hidden = ready.isEmpty() ? java.util.Set.<String>of()
                : privateAuthors.unreadable(viewerId, ready.stream().map(Post::authorId).toList());
        var shown = hidden.isEmpty() ? ready : ready.stream().filter(p -> !hidden.contains(p.authorId())).toList();
        Optional<PageToken> next = page.nextDay().map(nextDay -> {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("day", nextDay);
            values.put("after", page.nextAfter().orElse(""));
            return PageToken.ofParts(values);
        });
        return new Page<>(shown, next);
    }
}
