package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Optional;

/** Who follows whom. The users' follower and following counts are kept from the table's changes. */
public interface FollowStore {

    /** @return false if the follow already existed (nothing changed) */
    boolean follow(String followerId, String followeeId, String orderId, Instant now);

    /** @return false if there was no follow (nothing changed) */
    boolean unfollow(String followerId, String followeeId);

    boolean follows(String followerId, String followeeId);

    /** A user's followers, newest first. */
    Page<FollowEntry> followers(String userId, int limit, Optional<PageToken> after);

    /** @param consistent true when users read their own list */
    Page<FollowEntry> following(String userId, int limit, Optional<PageToken> after, boolean consistent);
}
