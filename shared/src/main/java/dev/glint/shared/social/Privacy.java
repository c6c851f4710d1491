package dev.glint.shared.social;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Private accounts, with Mastodon's "locked account" semantics: following one makes a request its owner
 * approves (then it is a follow like any other) or denies; its posts, and its followers and following
 * lists, are read only by its owner and its followers. Making the account public again approves every
 * pending request ({@link PendingApprovals}).
 */
public final class Privacy {

    /** Requests approved per page when an account becomes public. */
    public static final int APPROVAL_PAGE = 25;

    private final Accounts accounts;
    private final PrivacyStore store;
    private final Follows follows;
    private final FollowEvents events;
    private final Safety safety;
    private final PendingApprovals approvals;
    private final Ids ids;
    private final Clock clock;

    /**
     * The owner hears of a request, and the requester of an approval, from the stream processor (as of a
     * follow), which pushes them live.
     *
     * @param events    told of the follows an approval makes (the home feed back-fills as for a follow)
     * @param approvals approves an account's pending requests once it is public, now or later
     */
    public Privacy(Accounts accounts, PrivacyStore store, Follows follows, FollowEvents events,
                   Safety safety, PendingApprovals approvals, Ids ids, Clock clock) {
        this.accounts = accounts;
        this.store = store;
        this.follows = follows;
        this.events = events;
        this.safety = safety;
        this.approvals = approvals;
        this.ids = ids;
        this.clock = clock;
    }

    /** Approves every pending request of an account that became public: at once, or by a queued job. */
    @FunctionalInterface
    public interface PendingApprovals {
        void start(String ownerId);
    }

    /** What following someone did. */
    public sealed interface FollowOutcome {
        /** {@code changed}: whether this request made the follow or request (a repeat changes nothing). */
        boolean changed();
    }

    /** A follow, as for any public account. */
    public record Followed(boolean changed) implements FollowOutcome {
    }

    /** A request, pending until the private account's owner approves or denies it. */
    public record Requested(boolean changed) implements FollowOutcome {
    }

    /**
     * Makes the caller's account private or public. Making it public approves the requests pending
     * (asynchronously when a queue does it: a request made meanwhile cannot land, it checks the flag).
     */
    public Profile setPrivate(String userId, boolean locked) {
        Profile current = accounts.me(userId);
        if (current.locked() == locked) {
            return current;
        }
        Profile saved = store.setLocked(userId, locked);
        if (!locked) {
            approvals.start(userId);
        }
        return saved;
    }

    /** Follows a public account, or asks to follow a private one; either way at most once. */
    public FollowOutcome follow(String viewerId, String handle) {
        accounts.me(viewerId);
        String target = safety.visibleOwner(viewerId, handle);
        if (target.equals(viewerId)) {
            throw SocialException.invalid("cannot_follow_self", "You cannot follow yourself.");
        }
        Profile owner = accounts.find(target).orElseThrow(() -> Accounts.unknownHandle(handle));
        if (!owner.locked() || follows.follows(viewerId, target)) {
            return new Followed(follows.follow(viewerId, handle));
        }
        Instant now = clock.instant();
        return switch (store.request(viewerId, target, ids.next(), now)) {
            case CREATED -> new Requested(true);
            case PENDING -> new Requested(false);
            // Made public (or followed) a moment ago: an ordinary follow, idempotent as ever.
            case NOT_PRIVATE, FOLLOWING -> new Followed(follows.follow(viewerId, handle));
            case GONE -> throw Accounts.unknownHandle(handle);
        };
    }

    /** Unfollows, or withdraws a pending request; @return whether either was removed */
    public boolean unfollow(String viewerId, String handle) {
        String target = safety.visibleOwner(viewerId, handle);
        boolean unfollowed = follows.unfollow(viewerId, handle);
        return store.remove(viewerId, target) || unfollowed;
    }

    /** Whether the viewer has a request pending with this user. */
    public boolean requested(String viewerId, String userId) {
        return !viewerId.equals(userId) && store.requested(viewerId, userId);
    }

    /** The requests pending on the caller's account, newest first; people blocked either way since are left out. */
    public Page<FollowEntry> requests(String ownerId, int limit, Optional<PageToken> after) {
        Page<FollowEntry> page = store.requests(ownerId, limit, after);
        return new Page<>(safety.visible(ownerId, page.items(), FollowEntry::userId, false), page.next());
    }

    /**
     * The owner approves a request: it becomes a follow (the same items, counts and feed back-fill as a
     * follow), and the requester hears of it. @return whether this call approved it (a repeat changes nothing)
     *
     * @throws SocialException not found if the handle has no request pending (never made, withdrawn, denied)
     */
    public boolean approve(String ownerId, String handle) {
        String requester = safety.visibleOwner(ownerId, handle);
        Instant now = clock.instant();
        return switch (store.approve(requester, ownerId, ids.next(), now)) {
            case APPROVED -> {
                events.followed(requester, ownerId, now);
                yield true;
            }
            case ALREADY_FOLLOWING -> false;
            case NO_REQUEST -> {
                if (follows.follows(requester, ownerId)) {
                    yield false;
                }
                throw noRequest(handle);
            }
            case GONE -> throw Accounts.unknownHandle(handle);
        };
    }

    /** The owner denies a request: it is removed, and nothing tells the requester. @return whether this call removed it */
    public boolean deny(String ownerId, String handle) {
        String requester = safety.visibleOwner(ownerId, handle);
        return store.remove(requester, ownerId);
    }

    /**
     * Approves one page of an account's pending requests, if it is still public (made private again, the
     * rest wait for their owner). Approving removes what it approves, so the next page is the first again.
     *
     * @return whether requests may remain (run again)
     */
    public boolean approvePendingPage(String ownerId) {
        Optional<Profile> owner = accounts.find(ownerId);
        if (owner.isEmpty() || owner.get().locked()) {
            return false;
        }
        Page<FollowEntry> page = store.requests(ownerId, APPROVAL_PAGE, Optional.empty());
        for (FollowEntry request : page.items()) {
            Instant now = clock.instant();
            if (store.approve(request.userId(), ownerId, ids.next(), now) == PrivacyStore.ApproveResult.APPROVED) {
                events.followed(request.userId(), ownerId, now);
            }
        }
        return page.next().isPresent() || page.items().size() == APPROVAL_PAGE;
    }

    /**
     * Throws unless the viewer may read what a user posted and whom they follow and are followed by: the user
     * themselves, anyone for a public account, its followers for a private one.
     *
     * @throws SocialException forbidden {@code account_private} naming how to ask
     */
    public void requireReadable(String viewerId, String userId, String handle) {
        if (!store.unreadable(viewerId, List.of(userId)).isEmpty()) {
            throw privateAccount(handle);
        }
    }

    /** The authors a viewer may not read, as the use cases that show posts ask. */
    public PrivateAuthors authors() {
        return store::unreadable;
    }

    public static SocialException privateAccount(String handle) {
        return new SocialException(SocialException.Kind.FORBIDDEN, "account_private", "@" + handle
                + "'s account is private: only approved followers see its posts and follows. Ask with POST /v1/users/"
                + handle + "/follow.");
    }

    private static SocialException noRequest(String handle) {
        return SocialException.notFound("follow_request_not_found", Text.quote(handle)
                + " has no follow request pending with you: GET /v1/me/follow-requests lists those that do.");
    }

}
