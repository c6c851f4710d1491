package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.ports.FollowStore;

import java.time.Clock;
import java.util.Optional;

/** Following and unfollowing by handle, idempotently, and the two lists. */
public final class Follows {

    private final Accounts accounts;
    private final FollowStore follows;
    private final Ids ids;
    private final Clock clock;

    public Follows(Accounts accounts, FollowStore follows, Ids ids, Clock clock) {
        this.accounts = accounts;
        this.follows = follows;
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
        return follows.follow(viewerId, target, ids.next(), clock.instant());
    }

    /** @return true if a follow was removed; unfollowing twice changes nothing */
    public boolean unfollow(String viewerId, String handle) {
        String target = accounts.ownerOf(handle);
        return follows.unfollow(viewerId, target);
    }

    public Page<FollowEntry> followers(String handle, int limit, Optional<PageKey> after) {
        return follows.followers(accounts.ownerOf(handle), limit, after);
    }

    public Page<FollowEntry> following(String viewerId, String handle, int limit, Optional<PageKey> after) {
        String userId = accounts.ownerOf(handle);
        return follows.following(userId, limit, after, userId.equals(viewerId));
    }
}
