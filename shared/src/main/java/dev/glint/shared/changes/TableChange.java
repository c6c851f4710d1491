package dev.glint.shared.changes;

import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Post;

import java.time.Instant;

/**
 * One change of Glint's data, as the table's change stream reports it, already read into the
 * domain's terms by the stream adapter. The family is closed: a change the stream processor derives
 * nothing from is {@link Unrelated}.
 *
 * <p>{@code eventId} is unique per change and the same on every redelivery, so a use case can count
 * each change once.
 */
public sealed interface TableChange {

    String eventId();

    /** A user made their profile. */
    record ProfileCreated(String eventId, String userId, Instant at) implements TableChange {
    }

    /** A post was created (it starts {@code processing}). */
    record PostCreated(String eventId, Post post) implements TableChange {
    }

    /** A post changed: its status, caption, renditions or counts. */
    record PostChanged(String eventId, Post before, Post after) implements TableChange {
    }

    /** A post was deleted. */
    record PostDeleted(String eventId, Post post) implements TableChange {
    }

    record LikeAdded(String eventId, String postId, String userId, Instant at) implements TableChange {
    }

    record LikeRemoved(String eventId, String postId, String userId, Instant at) implements TableChange {
    }

    record CommentAdded(String eventId, Comment comment) implements TableChange {
    }

    record CommentRemoved(String eventId, Comment comment) implements TableChange {
    }

    /** {@code approved}: the follow is a private account's owner approving a request (the follower is told so). */
    record FollowAdded(String eventId, String followerId, String followeeId, Instant at, boolean approved) implements TableChange {
        public FollowAdded(String eventId, String followerId, String followeeId, Instant at) {
            this(eventId, followerId, followeeId, at, false);
        }
    }

    /** Someone asked to follow a private account (its owner is told). */
    record FollowRequested(String eventId, String requesterId, String ownerId, Instant at) implements TableChange {
    }

    record FollowRemoved(String eventId, String followerId, String followeeId, Instant at) implements TableChange {
    }

    /** A user's first exposure to an experiment was recorded. */
    record ExposureRecorded(String eventId, ExperimentStore.Exposure exposure) implements TableChange {
    }

    /** An exposed user's conversion on a metric was recorded. */
    record ConversionRecorded(String eventId, ExperimentStore.Conversion conversion) implements TableChange {
    }

    /**
     * A moderator decided a report ({@code takedown} true: took the thing down; else dismissed it) about
     * a post ({@code kind} {@code POST}, {@code subjectId} the post), a comment ({@code COMMENT}, the post
     * it was on) or an account ({@code ACCOUNT}, the account) of {@code ownerId}.
     */
    record Moderated(String eventId, boolean takedown, String ownerId, String kind, String subjectId) implements TableChange {
    }

    /** Any other change (feed entries, markers, rollups, profile edits...): nothing derives from it. */
    record Unrelated(String eventId) implements TableChange {
    }
}
