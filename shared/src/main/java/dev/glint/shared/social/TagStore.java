package dev.glint.shared.social;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The hashtag index: post ids by tag, bucketed by the post's day. */
public interface TagStore {

    void index(String postId, Set<String> tags, String day);

    void unindex(String postId, Set<String> tags, String day);

    /**
     * Post ids under a tag, newest first, starting in {@code day} after {@code afterPostId} and
     * walking back at most {@code maxDays} days.
     */
    TagPage posts(String tag, String day, Optional<String> afterPostId, int limit, int maxDays);

    /** @param nextDay and {@code nextAfter}: where the next page starts, absent when nothing is left to look at */
    record TagPage(List<String> postIds, Optional<String> nextDay, Optional<String> nextAfter) {
    }
}
