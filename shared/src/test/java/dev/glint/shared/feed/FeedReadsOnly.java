package dev.glint.shared.feed;

import java.time.Instant;
import java.util.Collection;

/** A feed store for tests that only read feeds: every write is ignored and no fan-out page counts as done. */
public abstract class FeedReadsOnly implements FeedStore {

    @Override
    public void push(String postId, String authorId, Collection<String> userIds) {
    }

    @Override
    public boolean pageDone(String postId, String page) {
        return false;
    }

    @Override
    public void markPageDone(String postId, String page) {
    }

    @Override
    public void trim(String userId, int keep) {
    }

    @Override
    public void followCelebrity(String userId, String celebrityId, Instant since) {
    }

    @Override
    public void unfollowCelebrity(String userId, String celebrityId) {
    }

    @Override
    public boolean promoted(String authorId) {
        return false;
    }

    @Override
    public void markPromoted(String authorId) {
    }

    @Override
    public boolean startPromotion(String authorId) {
        return false;
    }

    @Override
    public boolean startDemotion(String authorId) {
        return false;
    }

    @Override
    public void markDemoted(String authorId) {
    }
}
