package dev.glint.shared.ports;

import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;

import java.time.Instant;
import java.util.Optional;

/** Who follows whom, with both users' counts kept in the same transactions. */
public interface FollowStore {

    /** @return false if the follow already existed (nothing changed) */
    boolean follow(String followerId, String followeeId, String orderId, Instant now);

    /** @return false if there was no follow (nothing changed) */
    boolean unfollow(String followerId, String followeeId);

    boolean follows(String followerId, String followeeId);

    Page<FollowEntry> followers(String userId, int limit, Optional<PageKey> after);

    /** @param consistent true when users read their own list */
    Page<FollowEntry> following(String userId, int limit, Optional<PageKey> after, boolean consistent);
}
