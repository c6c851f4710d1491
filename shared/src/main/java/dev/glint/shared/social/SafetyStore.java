package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Blocks and mutes. A block is an edge from the blocker to the blocked; a mute an edge from the muter to
 * the muted. Both are read by key, in batches, wherever they hide someone: no list of them is ever read
 * to answer a read of something else, so their number costs nothing on a read path.
 */
public interface SafetyStore {

    /**
     * Blocks, removing the follows between the two users both ways in the same transaction; a follow
     * made concurrently either lands first (and is removed, by a retry) or finds the block and fails.
     *
     * @return whether the block is new, and which follows it removed
     * @throws SocialException not found if the blocked user's profile is gone
     */
    Blocked block(String blockerId, String blockedId, Instant now);

    /** Whether the blocker blocked the other (read strongly). */
    boolean blocks(String blockerId, String blockedId);

    /** @return whether a block was removed; unblocking twice changes nothing */
    boolean unblock(String blockerId, String blockedId);

    /** @return whether the mute is new */
    boolean mute(String muterId, String mutedId, Instant now);

    boolean unmute(String muterId, String mutedId);

    /** Whom the user blocked (read strongly: a block made a moment ago is listed), by user id. */
    Page<FollowEntry> blocks(String userId, int limit, Optional<PageToken> after);

    /** Whom the user muted, read strongly, by user id. */
    Page<FollowEntry> mutes(String userId, int limit, Optional<PageToken> after);

    /**
     * Of these users, those the viewer blocked or who blocked the viewer, and, {@code withMutes}, those the
     * viewer muted: one batch read by key (two or three keys a user).
     */
    Set<String> hidden(String viewerId, Collection<String> userIds, boolean withMutes);

    /** @param created false if the block existed; @param unfollowed the blocker's follow removed; @param unfollowedBy the blocked's */
    record Blocked(boolean created, boolean unfollowed, boolean unfollowedBy) {
    }
}
