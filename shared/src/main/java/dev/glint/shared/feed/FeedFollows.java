package dev.glint.shared.feed;

import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.social.FollowEvents;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;

import java.time.Instant;

/**
 * The home feed's part of a follow: a new follow back-fills the followee's recent posts into the
 * follower's feed (on the fan-out queue), and a followed celebrity, whose posts are pulled at read
 * time, is remembered in the follower's feed.
 */
public final class FeedFollows implements FollowEvents {

    private final ProfileStore profiles;
    private final FeedStore feeds;
    private final TaskQueue tasks;
    private final long celebrityThreshold;

    public FeedFollows(ProfileStore profiles, FeedStore feeds, TaskQueue tasks, long celebrityThreshold) {
        this.profiles = profiles;
        this.feeds = feeds;
        this.tasks = tasks;
        this.celebrityThreshold = celebrityThreshold;
    }

    @Override
    public void followed(String followerId, String followeeId, Instant at) {
        // The count comes from the stream and may not include this follow yet; a reader who marks a user
        // just below the threshold only costs the feed one more query, and shows no post twice.
        // A promoted author still above 80 % of the threshold is pulled too (FanOutPost's hysteresis).
        long followers = followersOf(followeeId) + 1;
        if (followers >= celebrityThreshold || (followers * 5 >= celebrityThreshold * 4 && feeds.promoted(followeeId))) {
            feeds.followCelebrity(followerId, followeeId, at);
        }
        tasks.send(BackfillJob.of(followerId, followeeId));
    }

    /**
     * Whoever was unfollowed is forgotten as a celebrity the follower pulls, whatever their count
     * reads now: a count that fell (or has not settled) must not leave a stale entry that costs every
     * later feed page a query.
     */
    @Override
    public void unfollowed(String followerId, String followeeId) {
        feeds.unfollowCelebrity(followerId, followeeId);
    }

    /** A user's follower count as others see it (eventually consistent); 0 if the user is gone. */
    private long followersOf(String userId) {
        return profiles.find(userId, false).map(Profile::followers).orElse(0L);
    }
}
