package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.ports.FeedStore;
import dev.glint.shared.ports.FollowStore;
import dev.glint.shared.ports.TaskQueue;

import java.time.Clock;
import java.util.Optional;

/** Following and unfollowing by handle, idempotently, and the two lists. */
public final class Follows {

    private final Accounts accounts;
    private final FollowStore follows;
    private final FeedStore feeds;
    private final TaskQueue tasks;
    private final long celebrityThreshold;
    private final Ids ids;
    private final Clock clock;

    public Follows(Accounts accounts, FollowStore follows, FeedStore feeds, TaskQueue tasks, long celebrityThreshold,
                   Ids ids, Clock clock) {
        this.accounts = accounts;
        this.follows = follows;
        this.feeds = feeds;
        this.tasks = tasks;
        this.celebrityThreshold = celebrityThreshold;
        this.ids = ids;
        this.clock = clock;
    }

    /** @return true if the follow is new; following twice changes nothing */
    public boolean follow(String viewerId, String handle) {
        accounts.me(viewerId);
        String target = accounts.ownerOf(handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_follow_self", "You cannot follow yourself.");
        }
        boolean created = follows.follow(viewerId, target, ids.next(), clock.instant());
        if (created) {
            // A celebrity's posts are pulled at read time: remember the reader follows one. The count
            // comes from the stream and may not include this follow yet; a reader who marks a user
            // just below the threshold only costs the feed one more query, and shows no post twice.
            if (accounts.followersOf(target) + 1 >= celebrityThreshold) {
                feeds.followCelebrity(viewerId, target);
            }
            tasks.send(BackfillJob.of(viewerId, target));
        }
        return created;
    }

    /** @return true if a follow was removed; unfollowing twice changes nothing */
    public boolean unfollow(String viewerId, String handle) {
        String target = accounts.ownerOf(handle);
        boolean removed = follows.unfollow(viewerId, target);
        if (removed && accounts.followersOf(target) + 1 >= celebrityThreshold) {
            feeds.unfollowCelebrity(viewerId, target);
        }
        return removed;
    }

    public Page<FollowEntry> followers(String handle, int limit, Optional<PageKey> after) {
        return follows.followers(accounts.ownerOf(handle), limit, after);
    }

    public Page<FollowEntry> following(String viewerId, String handle, int limit, Optional<PageKey> after) {
        String userId = accounts.ownerOf(handle);
        return follows.following(userId, limit, after, userId.equals(viewerId));
    }
}
