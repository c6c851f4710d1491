package dev.glint.shared.feed;

import java.util.List;

/**
 * Tells the followers a post was just pushed to that their feed has something new (realtime nudges).
 * Only posts that are pushed nudge: a celebrity's followers pull their posts and learn on their next read.
 */
public interface NewPostNudges {

    void newPost(String postId, String authorId, String authorHandle, List<String> followerIds);

    NewPostNudges NONE = (postId, authorId, authorHandle, followerIds) -> { };
}
