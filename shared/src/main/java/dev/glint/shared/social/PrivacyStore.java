package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Private accounts: the flag on the profile, the follow requests waiting for their owner, and which
 * authors a viewer may not read. A request is an edge from the requester to the owner (it exists once)
 * and an entry in the owner's time-ordered list; approving it turns it into a follow in one transaction.
 */
public interface PrivacyStore {

    /**
     * Makes the account private or public (bumping the profile's version, so cached views of it change).
     *
     * @return the profile as it now is, read strongly
     * @throws SocialException not found if the user has no profile
     */
    Profile setLocked(String userId, boolean locked);

    /**
     * Asks to follow a private account: in one transaction, while the owner's account is private, both
     * profiles exist, the requester does not follow the owner and neither blocked the other.
     */
    RequestResult request(String requesterId, String ownerId, String orderId, Instant now);

    /** Whether the requester has a request pending with the owner (read strongly). */
    boolean requested(String requesterId, String ownerId);

    /**
     * Turns a pending request into a follow, in one transaction with the same items and conditions as a
     * follow ({@link FollowStore#follow}); its counts follow from the table's changes as a follow's do.
     */
    ApproveResult approve(String requesterId, String ownerId, String followOrderId, Instant now);

    /** @return whether a pending request was removed (a denial or a withdrawal); a second time changes nothing */
    boolean remove(String requesterId, String ownerId);

    /** The requests a private account has pending, newest first, read strongly (only its owner reads them). */
    Page<FollowEntry> requests(String ownerId, int limit, Optional<PageToken> after);

    /**
     * Of these authors, those whose account is private and whom the viewer does not follow: one batch read
     * by key (the author's profile and the viewer's follow edge to them, strongly consistent).
     */
    Set<String> unreadable(String viewerId, Collection<String> authorIds);

    enum RequestResult {
        /** A new request. */
        CREATED,
        /** The request was already pending: nothing changed. */
        PENDING,
        /** The account is public (again): follow it instead. */
        NOT_PRIVATE,
        /** The requester follows the owner already. */
        FOLLOWING,
        /** A profile is gone, or a block stands between the two. */
        GONE
    }

    enum ApproveResult {
        /** The request became a follow. */
        APPROVED,
        /** No such request (never made, withdrawn, denied or approved already). */
        NO_REQUEST,
        /** The requester followed the owner already: the request is gone, nothing else changed. */
        ALREADY_FOLLOWING,
        /** The request is gone and no follow was made: a profile is gone, or a block stands between the two. */
        GONE
    }
}
