package dev.glint.shared.ports;

import java.util.List;

/**
 * Like and comment counts of posts, maintained from the change stream: one write per post per
 * stream batch, however many likes the batch holds, so a post liked thousands of times a second
 * does not turn its item into a hot key.
 */
public interface PostCounters {

    /**
     * Applies the changes of one post, skipping any whose sequence number was applied before (a
     * post's changes arrive in order on one stream shard, so a replay is recognised).
     */
    void apply(String postId, List<Change> changes);

    /** One like or comment added (+1) or removed (-1), at its stream sequence number. */
    record Change(String sequenceNumber, long likes, long comments) {
    }
}
