package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Blocks and mutes, and the rule they make on every read: a user blocked either way is, to the other,
 * a user who does not exist (the same answer as a handle nobody has, so a block never shows); a muted
 * user's posts and notifications leave the muter's feed and notifications, and nothing else changes.
 */
public final class Safety {

    private final Accounts accounts;
    private final SafetyStore store;
    private final FollowEvents events;
    private final Clock clock;

    /** @param events told of the follows a block removes (the home feed keeps up with them) */
    public Safety(Accounts accounts, SafetyStore store, FollowEvents events, Clock clock) {
        this.accounts = accounts;
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** @return true if the block is new; blocking twice changes nothing */
    public boolean block(String viewerId, String handle) {
        accounts.me(viewerId);
        String target = accounts.ownerOf(handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_block_self", "You cannot block yourself.");
        }
        if (blocked(viewerId, target)) {
            if (store.blocks(viewerId, target)) {
                return false;
            }
            // Blocked by the other: to the caller the other does not exist.
            throw Accounts.unknownHandle(handle);
        }
        SafetyStore.Blocked blocked = store.block(viewerId, target, clock.instant());
        if (blocked.unfollowed()) {
            events.unfollowed(viewerId, target);
        }
        if (blocked.unfollowedBy()) {
            events.unfollowed(target, viewerId);
        }
        return blocked.created();
    }

    /** @return true if a block was removed. The blocker may name whom they blocked (they listed them). */
    public boolean unblock(String viewerId, String handle) {
        String target = accounts.ownerOf(handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_block_self", "You cannot block yourself.");
        }
        boolean removed = store.unblock(viewerId, target);
        if (!removed && blocked(viewerId, target)) {
            // Not the caller's block but the other's: to them the other does not exist.
            throw Accounts.unknownHandle(handle);
        }
        return removed;
    }

    public boolean mute(String viewerId, String handle) {
        accounts.me(viewerId);
        String target = visibleOwner(viewerId, handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_mute_self", "You cannot mute yourself.");
        }
        return store.mute(viewerId, target, clock.instant());
    }

    /** @return true if a mute was removed; a mute made before a block between the two can still be undone */
    public boolean unmute(String viewerId, String handle) {
        String target = accounts.ownerOf(handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_mute_self", "You cannot mute yourself.");
        }
        boolean removed = store.unmute(viewerId, target);
        if (!removed && blocked(viewerId, target)) {
            throw Accounts.unknownHandle(handle);
        }
        return removed;
    }

    public Page<FollowEntry> blocks(String viewerId, int limit, Optional<PageToken> after) {
        return store.blocks(viewerId, limit, after);
    }

    /** Whom the viewer muted, but for those blocked either way since (they are no one to the viewer). */
    public Page<FollowEntry> mutes(String viewerId, int limit, Optional<PageToken> after) {
        Page<FollowEntry> page = store.mutes(viewerId, limit, after);
        return new Page<>(visible(viewerId, page.items(), FollowEntry::userId, false), page.next());
    }

    /**
     * The user behind a handle, as the viewer may see them: a user blocked either way is answered
     * exactly as a handle nobody has, and so is an account moderators suspended. One read of the handle,
     * one batch read of the two blocks and one read of the profile.
     */
    public String visibleOwner(String viewerId, String handle) {
        String userId = accounts.ownerOf(handle);
        if (!userId.equals(viewerId) && (blocked(viewerId, userId) || accounts.suspended(userId))) {
            throw Accounts.unknownHandle(handle);
        }
        return userId;
    }

    /** Whether either user blocked the other. */
    public boolean blocked(String a, String b) {
        return !a.equals(b) && !store.hidden(a, List.of(b), false).isEmpty();
    }

    /** The items whose user (by {@code userOf}) is not blocked either way with the viewer (nor muted, {@code withMutes}). */
    public <T> List<T> visible(String viewerId, List<T> items, Function<T, String> userOf, boolean withMutes) {
        Set<String> others = new java.util.LinkedHashSet<>();
        items.forEach(item -> {
            String user = userOf.apply(item);
            if (user != null && !user.equals(viewerId)) {
                others.add(user);
            }
        });
        if (others.isEmpty()) {
            return items;
        }
        Set<String> hidden = hidden(viewerId, others, withMutes);
        return hidden.isEmpty() ? items : items.stream().filter(item -> !hidden.contains(userOf.apply(item))).toList();
    }

    /** Blocks as the other use cases ask about them. */
    public Blocks blocks() {
        return (viewerId, userIds) -> store.hidden(viewerId, userIds, false);
    }

    public Set<String> hidden(String viewerId, Collection<String> userIds, boolean withMutes) {
        return store.hidden(viewerId, userIds, withMutes);
    }
}
