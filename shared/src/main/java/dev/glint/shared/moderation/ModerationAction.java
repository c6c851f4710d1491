package dev.glint.shared.moderation;

import java.time.Instant;

/**
 * One line of the moderation log: who decided what about which report, when and why. Once the owner's
 * account is erased, the line keeps what was decided, by whom, when and why, and the kind of thing, but
 * {@code reportId}, {@code ownerId} and the target's ids are null.
 */
public record ModerationAction(String id, String reportId, ReportTarget target, String ownerId, Report.Action action,
                               String moderatorId, Instant at, String reason) {
}
