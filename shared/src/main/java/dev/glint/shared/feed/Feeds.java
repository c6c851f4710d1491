package dev.glint.shared.feed;

import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.Profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The home feed: entries the fan-out worker pushed, merged at read time with the recent posts of
 * the celebrities the reader follows (whose posts are never pushed), newest first, in one page with
 * one cursor. A page costs one feed query and one batch read (posts, follows and authors), plus one query per followed celebrity
 * (at most {@link #MAX_CELEBRITIES}). Deleted posts, posts that are not ready and posts of people the
 * reader no longer follows are never shown.
 *
 * <p>How a page is ordered is the {@link #RANKING_EXPERIMENT} experiment's to decide: the reader's
 * variant comes from the experiment service, and a first page records the exposure. The
 * {@link #AFFINITY} variant lifts, within the page, the posts of authors the reader liked or
 * commented on recently to the top (in their chronological order); which posts a page holds and its
 * cursor are those of the chronological feed, so paging skips and repeats nothing.
 */
public final class Feeds {

    /** Celebrities merged into one feed at most (the most recently followed win past this). */
    public static final int MAX_CELEBRITIES = 20;
    private static final String FEED = "f";
    private static final String CELEBRITY = "c.";
    /** A source with nothing left. */
    private static final String DONE = "-";
    /** A source not read from yet: it starts at its newest post. */
    private static final String START = "+";

    /** The experiment that decides the feed's ranking, and its variants. */
    public static final String RANKING_EXPERIMENT = "feed-ranking";
    public static final String CHRONOLOGICAL = "chronological";
    public static final String AFFINITY = "affinity";

    private final FeedStore feeds;
    private final PostStore posts;
    private final Experiments experiments;

    public Feeds(FeedStore feeds, PostStore posts) {
        this(feeds, posts, Experiments.none());
    }

    public Feeds(FeedStore feeds, PostStore posts, Experiments experiments) {
        this.feeds = feeds;
        this.posts = posts;
        this.experiments = experiments;
    }

    private record Candidate(String postId, String authorId, String source) {
    }

    /** A page of the feed and the profiles of its posts' authors (read in the same batch). */
    /**
     * @param liked         the posts of the page the reader likes
     * @param byInteraction whether the page is in the affinity variant's order (authors the reader
     *                      interacted with first), which a client tells the reader
     */
    public record FeedPage(Page<Post> page, Map<String, Profile> authors, Set<String> liked, boolean byInteraction) {
    }

    public FeedPage feed(String userId, int limit, Optional<PageToken> after) {
        String ranking = experiments.serve(Experiment.FEED, userId, after.isEmpty())
                .getOrDefault(RANKING_EXPERIMENT, CHRONOLOGICAL);
        boolean byAffinity = AFFINITY.equals(ranking);
        Map<String, String> position = after.map(PageToken::parts).orElse(Map.of());
        List<Candidate> candidates = new ArrayList<>();
        Map<String, Boolean> more = new LinkedHashMap<>();

        String feedAfter = position.get(FEED);
        Set<String> celebrities = new LinkedHashSet<>();
        if (!DONE.equals(feedAfter)) {
            // START: the pushed feed was read but none of it shown yet (newer celebrity posts filled the page).
            FeedStore.FeedPage page = feeds.page(userId, limit, Optional.ofNullable(feedAfter).filter(p -> !START.equals(p)));
            page.entries().stream().filter(e -> e.authorId() != null)
                    .forEach(e -> candidates.add(new Candidate(e.postId(), e.authorId(), FEED)));
            more.put(FEED, page.more());
            // The most recently followed celebrities, when a reader follows more than a page merges.
            page.celebrities().entrySet().stream()
                    .sorted(Map.Entry.<String, Instant>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(MAX_CELEBRITIES).forEach(entry -> celebrities.add(entry.getKey()));
        }
        if (after.isPresent()) {
            position.keySet().stream().filter(k -> k.startsWith(CELEBRITY)).forEach(k -> celebrities.add(k.substring(CELEBRITY.length())));
        }
        celebrities.stream().limit(MAX_CELEBRITIES).forEach(celebrity -> {
            String source = CELEBRITY + celebrity;
            String celebAfter = position.get(source);
            if (DONE.equals(celebAfter)) {
                return;
            }
            Optional<String> start = Optional.ofNullable(celebAfter).filter(id -> !START.equals(id));
            PostStore.Recent recent = posts.recentPostIds(celebrity, limit, start);
            recent.postIds().forEach(id -> candidates.add(new Candidate(id, celebrity, source)));
            more.put(source, recent.more());
        });

        candidates.sort(Comparator.comparing(Candidate::postId).reversed());
        List<Candidate> chosen = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Candidate candidate : candidates) {
            if (chosen.size() == limit) {
                break;
            }
            if (seen.add(candidate.postId())) {
                chosen.add(candidate);
            }
        }

        Set<String> authors = new LinkedHashSet<>();
        chosen.forEach(c -> authors.add(c.authorId()));
        FeedStore.Hydrated hydrated = feeds.hydrate(userId, chosen.stream().map(Candidate::postId).toList(), authors,
                byAffinity);
        List<Post> shown = new ArrayList<>();
        for (Candidate candidate : chosen) {
            Post post = hydrated.posts().get(candidate.postId());
            if (post != null && post.status() == PostStatus.READY
                    && (post.authorId().equals(userId) || hydrated.followedAuthors().contains(post.authorId()))) {
                shown.add(post);
            }
        }
        if (byAffinity) {
            // A stable sort: lifted posts first, each group still newest first.
            shown.sort(Comparator.comparing((Post p) -> !hydrated.affinityAuthors().contains(p.authorId())));
        }

        // Candidates are in descending id order and the page took the newest ones: everything down to
        // the last chosen id is consumed, whichever source it came from (so a post in two sources shows once).
        String cutoff = chosen.isEmpty() ? null : chosen.get(chosen.size() - 1).postId();
        Map<String, String> next = new HashMap<>(position);
        boolean anyLeft = false;
        for (String source : more.keySet()) {
            Optional<String> last = candidates.stream().filter(c -> c.source().equals(source))
                    .map(Candidate::postId).filter(id -> cutoff != null && id.compareTo(cutoff) >= 0).reduce((a, b) -> b);
            boolean unconsumed = candidates.stream().anyMatch(c -> c.source().equals(source)
                    && (cutoff == null || c.postId().compareTo(cutoff) < 0));
            boolean left = more.get(source) || unconsumed;
            last.ifPresent(id -> next.put(source, id));
            next.putIfAbsent(source, START);
            if (!left) {
                next.put(source, DONE);
            }
            anyLeft |= left;
        }
        return new FeedPage(new Page<>(shown, anyLeft ? Optional.of(PageToken.ofParts(next)) : Optional.empty()),
                hydrated.authors(), hydrated.liked(), byAffinity);
    }
}
