package dev.glint.api;

import dev.glint.shared.media.MediaUrls;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Profile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ViewsTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    /** Media URLs whose window a test moves on. */
    private static final class Windowed implements MediaUrls {
        String window = "1";

        @Override
        public String url(String objectKey) {
            return "https://media.example/" + objectKey + "?w=" + window;
        }

        @Override
        public String window() {
            return window;
        }
    }

    @Test
    void aPostsEtagChangesWhenItsMediaUrlsWouldAndOnlyThen() {
        Windowed urls = new Windowed();
        Views views = new Views(null, urls, (viewer, ids, consistent) -> java.util.Set.of());
        Post post = new Post("p1", "a1", "hi", PostStatus.READY, java.util.List.of(
                Photo.of("u1", "uploads/a1/u1", "", null).processed(Map.of("thumb", "media/p1/thumb.jpg"), "L00000fQfQfQfQfQfQfQfQfQfQfQ", 10, 10)),
                T, 0, 0, null, 3);
        Map<String, Profile> authors = Map.of("a1", new Profile("a1", "alice", "Alice", "", 0, 0, 1, T, 1));

        String first = views.postEtag(post, authors, false);
        assertEquals(first, views.postEtag(post, authors, false), "the same post in the same window");
        urls.window = "2";
        assertNotEquals(first, views.postEtag(post, authors, false), "a client holding expired URLs must not get a 304");
        assertNotEquals(views.postEtag(post, authors, false), views.postEtag(post, authors, true),
                "a like of mine shows at once, before the count the stream keeps moves the post's version");
        assertEquals("https://media.example/media/p1/thumb.jpg?w=2",
                views.post(post, authors, false).media().orElseThrow().get("thumb"));
    }
}
