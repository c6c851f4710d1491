package dev.glint.shared.feed;

import dev.glint.shared.ids.Digests;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.DemoteJob;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.PromoteJob;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.FollowStore;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Feed fan-out. A ready post is pushed into its author's followers' feeds one page of followers per
 * message; each message enqueues the next page with its cursor, so a crash resumes where it stopped.
 * A page is marked done after its writes, so a redelivered page neither pushes nor forks the chain
 * again (pushes are idempotent anyway). Now and then a push trims its reader's feed to
 * {@link #MAX_FEED} entries.
 *
 * <p>Celebrities' posts are not pushed: readers pull them. An author who is a celebrity when a page
 * of their post's fan-out runs is promoted once: a chain of {@link PromoteJob}s of its own tells
 * every follower, from the first, to pull the author's posts, whichever page of whichever post
 * found them a celebrity; the author is then marked promoted.
 *
 * <p>With hysteresis: a promoted author stays pulled while they keep at least 80 % of the threshold
 * ({@link #pulled}), so an author who hovers around it does not flip with every follow and unfollow.
 * A post by a promoted author below that line is pushed, and starts a demotion once: a chain of
 * {@link DemoteJob}s gives each follower, page by page from the first, the author's recent posts and
 * then stops them pulling the author (in that order, so no reader misses a post in between); the last
 * page forgets the promotion. Posts made while it runs are pushed to everyone; a reader who still
 * pulls sees them once (the feed merges pushed and pulled posts by id).
 * A new follow back-fills the followee's recent posts into the follower's feed.
 */
public final class FanOutPost implements MessageConsumer<QueueMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(FanOutPost.class);
    /** Followers per fan-out message. */
    public static final int PAGE_SIZE = 100;
    /** Posts a new follow copies into the follower's feed. */
    public static final int BACKFILL_POSTS = 20;
    /** Entries a home feed keeps at most, newest first (older ones are trimmed; they also expire). */
    public static final int MAX_FEED = 800;
    /** One push in this many trims the reader's feed (chosen by a hash of post and reader, so a replay trims alike). */
    static final int TRIM_EVERY = 32;

    private final PostStore posts;
    private final ProfileStore profiles;
    private final FollowStore follows;
    private final FeedStore feeds;
    private final TaskQueue tasks;
    private final long celebrityThreshold;
    private final NewPostNudges nudges;

    public FanOutPost(PostStore posts, ProfileStore profiles, FollowStore follows, FeedStore feeds, TaskQueue tasks,
                      long celebrityThreshold) {
        this(posts, profiles, follows, feeds, tasks, celebrityThreshold, NewPostNudges.NONE);
    }

    /** @param nudges told of each page of followers a post is pushed to (realtime {@code feed} events) */
    public FanOutPost(PostStore posts, ProfileStore profiles, FollowStore follows, FeedStore feeds, TaskQueue tasks,
                      long celebrityThreshold, NewPostNudges nudges) {
        this.nudges = nudges;
        this.posts = posts;
        this.profiles = profiles;
        this.follows = follows;
        this.feeds = feeds;
        this.tasks = tasks;
        this.celebrityThreshold = celebrityThreshold;
    }

    @Override
    public void accept(QueueMessage message, Delivery delivery) {
        if (message instanceof FanoutJob job) {
            fanOut(job);
        } else if (message instanceof BackfillJob job) {
            backfill(job);
        } else if (message instanceof PromoteJob job) {
            promote(job);
        } else if (message instanceof DemoteJob job) {
            demote(job);
        } else {
            throw new IllegalArgumentException("the fan-out worker does not handle " + message.type());
        }
    }

    private void fanOut(FanoutJob job) {
        Optional<Post> post = posts.find(job.postId(), true);
        if (post.isEmpty() || post.get().status() != PostStatus.READY) {
            LOG.info("post {} is gone or not ready; no fan-out", job.postId());
            return;
        }
        String page = pageId(job.cursor());
        if (feeds.pageDone(job.postId(), page)) {
            return;
        }
        Optional<Profile> author = profiles.find(job.authorId(), true);
        if (author.isEmpty()) {
            return;
        }
        long count = author.get().followers();
        if (pulled(job.authorId(), count)) {
            if (job.cursor() == null) {
                // The author sees their own post at home, celebrity or not.
                push(job.postId(), job.authorId(), List.of(job.authorId()));
            }
            if (count >= celebrityThreshold && !feeds.promoted(job.authorId()) && feeds.startPromotion(job.authorId())) {
                tasks.send(PromoteJob.firstPage(job.authorId(), claim()));
            }
            LOG.info("post {} by celebrity {} ({} followers) is pulled at read time, not pushed",
                    job.postId(), job.authorId(), count);
            feeds.markPageDone(job.postId(), page);
            return;
        }
        if (job.cursor() == null && feeds.promoted(job.authorId()) && feeds.startDemotion(job.authorId())) {
            // Below the line: pushed from now on, and the followers who pull the author are moved back.
            tasks.send(DemoteJob.firstPage(job.authorId(), claim()));
            LOG.info("celebrity {} fell to {} followers (the line is 80 % of {}): demotion started", job.authorId(), count,
                    celebrityThreshold);
        }
        Page<FollowEntry> followers = follows.followers(job.authorId(), PAGE_SIZE, decode(job.cursor()));
        List<String> ids = new ArrayList<>(followers.items().stream().map(FollowEntry::userId).toList());
        if (job.cursor() == null) {
            ids.add(job.authorId());
        }
        push(job.postId(), job.authorId(), ids);
        // The page's followers were just pushed the post: the ones connected hear of it now. Only here:
        // a celebrity's post (above) and a back-fill nudge nobody.
        nudges.newPost(job.postId(), job.authorId(), author.get().handle(), ids);
        followers.next().ifPresent(next -> tasks.send(new FanoutJob(FanoutJob.TYPE, FanoutJob.VERSION,
                job.postId(), job.authorId(), next.value())));
        feeds.markPageDone(job.postId(), page);
    }

    /**
     * One page of a celebrity's followers learns to pull the author's posts, with when they followed
     * (a feed merges the most recently followed celebrities first); the last page marks the author
     * promoted. Later posts cost no fan-out writes at all.
     */
    private void promote(PromoteJob job) {
        String page = "promote-" + (job.claim() == null ? "" : job.claim() + "-") + pageId(job.cursor());
        if (feeds.pageDone(job.authorId(), page)) {
            return;
        }
        Page<FollowEntry> followers = follows.followers(job.authorId(), PAGE_SIZE, decode(job.cursor()));
        followers.items().forEach(follower -> feeds.followCelebrity(follower.userId(), job.authorId(), follower.since()));
        if (followers.next().isPresent()) {
            tasks.send(new PromoteJob(PromoteJob.TYPE, PromoteJob.VERSION, job.authorId(), job.claim(), followers.next().get().value()));
        } else {
            feeds.markPromoted(job.authorId());
            LOG.info("celebrity {} promoted: every follower pulls their posts", job.authorId());
        }
        feeds.markPageDone(job.authorId(), page);
    }

    /**
     * One page of a demoted author's followers gets the author's recent ready posts pushed, then stops
     * pulling the author; the last page forgets the promotion.
     */
    private void demote(DemoteJob job) {
        String page = "demote-" + job.claim() + "-" + pageId(job.cursor());
        if (feeds.pageDone(job.authorId(), page)) {
            return;
        }
        Page<FollowEntry> followers = follows.followers(job.authorId(), PAGE_SIZE, decode(job.cursor()));
        List<String> ids = followers.items().stream().map(FollowEntry::userId).toList();
        if (!ids.isEmpty()) {
            List<String> recent = posts.recentPostIds(job.authorId(), BACKFILL_POSTS, Optional.empty()).postIds();
            for (Post post : posts.findAll(recent, false)) {
                if (post.status() == PostStatus.READY) {
                    push(post.id(), post.authorId(), ids);
                }
            }
            ids.forEach(follower -> feeds.unfollowCelebrity(follower, job.authorId()));
        }
        if (followers.next().isPresent()) {
            tasks.send(new DemoteJob(DemoteJob.TYPE, DemoteJob.VERSION, job.authorId(), job.claim(), followers.next().get().value()));
        } else {
            feeds.markDemoted(job.authorId());
            LOG.info("celebrity {} demoted: every follower has their posts pushed again", job.authorId());
        }
        feeds.markPageDone(job.authorId(), page);
    }

    /**
     * Whether the author's posts are pulled at read time rather than pushed: a celebrity (at least the
     * threshold), or a promoted author still at or above 80 % of it. Reads the promotion mark only in
     * that band, so most posts cost no read for it.
     */
    private boolean pulled(String authorId, long followers) {
        return followers >= celebrityThreshold || (followers * 5 >= celebrityThreshold * 4 && feeds.promoted(authorId));
    }

    /** A name for one promotion's or demotion's pages. */
    private static String claim() {
        return java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private void backfill(BackfillJob job) {
        if (!follows.follows(job.followerId(), job.followeeId())) {
            return;
        }
        Optional<Profile> followee = profiles.find(job.followeeId(), false);
        if (followee.isEmpty() || pulled(job.followeeId(), followee.get().followers())) {
            return;
        }
        List<String> recent = posts.recentPostIds(job.followeeId(), BACKFILL_POSTS, Optional.empty()).postIds();
        for (Post post : posts.findAll(recent, false)) {
            if (post.status() == PostStatus.READY) {
                push(post.id(), post.authorId(), List.of(job.followerId()));
            }
        }
    }

    /** Pushes the post to the readers, and trims the feeds this push is due to trim. */
    private void push(String postId, String authorId, List<String> readers) {
        feeds.push(postId, authorId, readers);
        readers.stream().filter(reader -> trimDue(postId, reader)).forEach(reader -> feeds.trim(reader, MAX_FEED));
    }

    /** Whether pushing this post trims this reader's feed: one push in {@link #TRIM_EVERY}, by a stable hash. */
    static boolean trimDue(String postId, String readerId) {
        return Math.floorMod((postId + ":" + readerId).hashCode(), TRIM_EVERY) == 0;
    }

    /** The message's cursor is the follower list's page token, carried as it was written. */
    private static Optional<PageToken> decode(String cursor) {
        return Optional.ofNullable(cursor).map(PageToken::of);
    }

    /** A short, key-safe name for a page: "first", or a digest of its cursor. */
    static String pageId(String cursor) {
        return cursor == null ? "first" : Digests.sha256Hex(cursor, 16);
    }
}
