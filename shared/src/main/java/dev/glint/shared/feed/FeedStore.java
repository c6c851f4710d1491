package dev.glint.shared.feed;

import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Home feeds: pushed entries, the celebrities each reader follows, and fan-out progress. */
public interface FeedStore {

    /** Puts the post into each user's feed; pushing the same post again changes nothing. */
    void push(String postId, String authorId, Collection<String> userIds);

    /**
     * Removes all but the newest {@code keep} entries of a user's feed (the celebrities it pulls from
     * are kept). Costs a read of the kept entries' keys, so it is run now and then, not on every push.
     */
    void trim(String userId, int keep);

    boolean pageDone(String postId, String page);

    void markPageDone(String postId, String page);

    /** The user pulls the celebrity's posts into their feed; {@code since} is when they followed. */
    void followCelebrity(String userId, String celebrityId, Instant since);

    /** The user no longer pulls the celebrity's posts; removing one that is not there changes nothing. */
    void unfollowCelebrity(String userId, String celebrityId);

    /** Whether all of the author's followers were told to pull the author's posts (until a demotion ends). */
    boolean promoted(String authorId);

    /** The author's promotion finished: every follower pulls. Frees the demotion claim, so a later fall can demote. */
    void markPromoted(String authorId);

    /**
     * Claims the demotion of a promoted author. @return false if a demotion of the author was started
     * in the last day and has not finished
     */
    boolean startDemotion(String authorId);

    /**
     * The author's demotion finished: no follower pulls, the posts are pushed again. Forgets the
     * promotion and frees its claim, so a later rise can promote again.
     */
    void markDemoted(String authorId);

    /**
     * Claims the promotion of an author. @return false if a promotion of the author was started in
     * the last day and has not finished (it is under way, or will be claimable again after that)
     */
    boolean startPromotion(String authorId);

    /**
     * Newest entries of a feed after a post id (or from the top). The first page also carries the
     * celebrities the user follows, with when they followed each. One query.
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

    /** @param more whether entries remain after these; @param celebrities each followed celebrity, and since when */
    record FeedPage(List<Entry> entries, boolean more, Map<String, Instant> celebrities) {
    }

    /**
     * @param affinityAuthors the authors the reader interacted with recently (asked for only)
     * @param liked           the posts the reader likes, read in the same batch as the posts
     */
    record Hydrated(Map<String, Post> posts, Set<String> followedAuthors, Map<String, Profile> authors,
                    Set<String> affinityAuthors, Set<String> liked) {
        public Hydrated(Map<String, Post> posts, Set<String> followedAuthors, Map<String, Profile> authors) {
            this(posts, followedAuthors, authors, Set.of(), Set.of());
        }

        public Hydrated(Map<String, Post> posts, Set<String> followedAuthors, Map<String, Profile> authors,
                        Set<String> affinityAuthors) {
            this(posts, followedAuthors, authors, affinityAuthors, Set.of());
        }
    }
}
