package dev.glint.shared.feed;

import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageConsumer;
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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Feed fan-out. A ready post is pushed into its author's followers' feeds one page of followers per
 * message; each message enqueues the next page with its cursor, so a crash resumes where it stopped.
 * A page is marked done after its writes, so a redelivered page neither pushes nor forks the chain
 * again (pushes are idempotent anyway). Celebrities' posts are not pushed: readers pull them, and
 * the first post of a new celebrity tells each follower to do so (once, page by page).
 * A new follow back-fills the followee's recent posts into the follower's feed.
 */
public final class FanOutPost implements MessageConsumer<QueueMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(FanOutPost.class);
    /** Followers per fan-out message. */
    public static final int PAGE_SIZE = 100;
    /** Posts a new follow copies into the follower's feed. */
    public static final int BACKFILL_POSTS = 20;
    /** The marker (under the author's id) that all the author's followers pull the author's posts. */
    static final String PROMOTED = "celebrity-promoted";

    private final PostStore posts;
    private final ProfileStore profiles;
    private final FollowStore follows;
    private final FeedStore feeds;
    private final TaskQueue tasks;
    private final long celebrityThreshold;

    public FanOutPost(PostStore posts, ProfileStore profiles, FollowStore follows, FeedStore feeds, TaskQueue tasks,
                      long celebrityThreshold) {
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
        if (author.get().followers() >= celebrityThreshold) {
            if (job.cursor() == null) {
                // The author sees their own post at home, celebrity or not.
                feeds.push(job.postId(), job.authorId(), List.of(job.authorId()));
            }
            if (!feeds.pageDone(job.authorId(), PROMOTED)) {
                promote(job);
            }
            LOG.info("post {} by celebrity {} ({} followers) is pulled at read time, not pushed",
                    job.postId(), job.authorId(), author.get().followers());
            feeds.markPageDone(job.postId(), page);
            return;
        }
        Page<FollowEntry> followers = follows.followers(job.authorId(), PAGE_SIZE, decode(job.cursor()));
        List<String> ids = new ArrayList<>(followers.items().stream().map(FollowEntry::userId).toList());
        if (job.cursor() == null) {
            ids.add(job.authorId());
        }
        feeds.push(job.postId(), job.authorId(), ids);
        followers.next().ifPresent(next -> tasks.send(new FanoutJob(FanoutJob.TYPE, FanoutJob.VERSION,
                job.postId(), job.authorId(), next.value())));
        feeds.markPageDone(job.postId(), page);
    }

    /**
     * Once, when an author first posts as a celebrity: one page of followers per message learns to
     * pull the author's posts. Later posts cost no fan-out writes at all.
     */
    private void promote(FanoutJob job) {
        Page<FollowEntry> followers = follows.followers(job.authorId(), PAGE_SIZE, decode(job.cursor()));
        followers.items().forEach(follower -> feeds.followCelebrity(follower.userId(), job.authorId()));
        if (followers.next().isPresent()) {
            tasks.send(new FanoutJob(FanoutJob.TYPE, FanoutJob.VERSION, job.postId(), job.authorId(),
                    followers.next().get().value()));
        } else {
            feeds.markPageDone(job.authorId(), PROMOTED);
        }
    }

    private void backfill(BackfillJob job) {
        if (!follows.follows(job.followerId(), job.followeeId())) {
            return;
        }
        Optional<Profile> followee = profiles.find(job.followeeId(), false);
        if (followee.isEmpty() || followee.get().followers() >= celebrityThreshold) {
            return;
        }
        List<String> recent = posts.recentPostIds(job.followeeId(), BACKFILL_POSTS, Optional.empty()).postIds();
        for (Post post : posts.findAll(recent, false)) {
            if (post.status() == PostStatus.READY) {
                feeds.push(post.id(), post.authorId(), List.of(job.followerId()));
            }
        }
    }

    /** The message's cursor is the follower list's page token, carried as it was written. */
    private static Optional<PageToken> decode(String cursor) {
        return Optional.ofNullable(cursor).map(PageToken::of);
    }

    /** A short, key-safe name for a page: "first", or a digest of its cursor. */
    static String pageId(String cursor) {
        if (cursor == null) {
            return "first";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cursor.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
