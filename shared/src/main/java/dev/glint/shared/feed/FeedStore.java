package dev.glint.shared.feed;

import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Home feeds: pushed entries, the celebrities each reader follows, and fan-out progress. */
public interface FeedStore {

    /** Puts the post into each user's feed; pushing the same post again changes nothing. */
    void push(String postId, String authorId, Collection<String> userIds);

    boolean pageDone(String postId, String page);

    void markPageDone(String postId, String page);

    void followCelebrity(String userId, String celebrityId);

    void unfollowCelebrity(String userId, String celebrityId);

    /**
     * Newest entries of a feed after a post id (or from the top). The first page also carries the
     * celebrities the user follows. One query.
     */
    FeedPage page(String userId, int limit, Optional<String> afterPostId);

    /**
     * The posts, which of the authors the reader follows, and the authors' profiles, in one batch read.
     */
    Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds);

    /**
     * As {@link #hydrate(String, List, Set)}, and, when {@code withAffinity}, which of the authors the
     * reader interacted with recently ({@link AffinityStore}), in the same batch read.
     */
    default Hydrated hydrate(String readerId, List<String> postIds, Set<String> authorIds, boolean withAffinity) {
        return hydrate(readerId, postIds, authorIds);
    }

    /** One feed entry. */
    record Entry(String postId, String authorId) {
    }

    /** @param more whether entries remain after these */
    record FeedPage(List<Entry> entries, boolean more, Set<String> celebrities) {
    }

    /** @param affinityAuthors the authors the reader interacted with recently (asked for only) */
    record Hydrated(Map<String, Post> posts, Set<String> followedAuthors, Map<String, Profile> authors,
                    Set<String> affinityAuthors) {
        public Hydrated(Map<String, Post> posts, Set<String> followedAuthors, Map<String, Profile> authors) {
            this(posts, followedAuthors, authors, Set.of());
        }
    }
}
