package dev.glint.shared.moderation;

import java.time.Instant;
import java.util.Map;

/**
 * Everything reported about one thing, as moderators see it: how many distinct people reported it,
 * for which reasons, what it said when first reported, and the decision once one was made.
 *
 * @param ownerId  whose the thing is (the author of a post or comment, the account itself)
 * @param preview  the thing's text when it was first reported (a caption, a comment, a handle), at most 280 characters
 * @param reasons  reason to the number of reporters who gave it
 * @param details  the most recent free text a reporter gave, if any (null otherwise)
 * @param decision null while open
 */
public record Report(String id, ReportTarget target, String ownerId, String preview, Status status, long reporters,
                     Map<String, Long> reasons, String details, Instant firstReportedAt, Instant lastReportedAt,
                     Decision decision) {

    public enum Status { OPEN, TAKEN_DOWN, DISMISSED }

    /** A moderator's decision: who, when, what and why. */
    public record Decision(Action action, String moderatorId, Instant at, String reason) {
    }

    /** What a moderator can do with a report. */
    public enum Action {
        TAKEDOWN, DISMISS;

        Status status() {
            return this == TAKEDOWN ? Status.TAKEN_DOWN : Status.DISMISSED;
        }
    }
}
