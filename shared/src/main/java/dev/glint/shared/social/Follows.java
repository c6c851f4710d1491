package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Following and unfollowing by handle, idempotently, and the two lists. */
public final class Follows {

    private final Accounts accounts;
    private final FollowStore follows;
    private final FollowEvents events;
    private final Ids ids;
    private final Clock clock;

    /** @param events told of every follow that starts or ends (the home feed keeps up with them) */
    public Follows(Accounts accounts, FollowStore follows, FollowEvents events, Ids ids, Clock clock) {
        this.accounts = accounts;
        this.follows = follows;
        this.events = events;
        this.ids = ids;
        this.clock = clock;
    }

    /** @return true if the follow is new; following twice changes nothing */
    /** Whether the viewer follows this user (a strongly consistent read: a follow made a moment ago shows). */
    public boolean follows(String viewerId, String userId) {
        return !viewerId.equals(userId) && follows.follows(viewerId, userId);
    }

    public boolean follow(String viewerId, String handle) {
        accounts.me(viewerId);
        String target = accounts.ownerOf(handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_follow_self", "You cannot follow yourself.");
        }
        Instant now = clock.instant();
        boolean created = follows.follow(viewerId, target, ids.next(), now);
        if (created) {
            events.followed(viewerId, target, now);
        }
        return created;
    }

    /** @return true if a follow was removed; unfollowing twice changes nothing */
    public boolean unfollow(String viewerId, String handle) {
        String target = accounts.ownerOf(handle);
        boolean removed = follows.unfollow(viewerId, target);
        if (removed) {
            events.unfollowed(viewerId, target);
        }
        return removed;
    }

    public Page<FollowEntry> followers(String handle, int limit, Optional<PageToken> after) {
        return follows.followers(accounts.ownerOf(handle), limit, after);
    }

    public Page<FollowEntry> following(String viewerId, String handle, int limit, Optional<PageToken> after) {
        String userId = accounts.ownerOf(handle);
        return follows.following(userId, limit, after, userId.equals(viewerId));
    }
}
