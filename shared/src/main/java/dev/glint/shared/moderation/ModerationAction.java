package dev.glint.shared.moderation;

import java.time.Instant;

/** One line of the moderation log: who decided what about which report, when and why. */
public record ModerationAction(String id, String reportId, ReportTarget target, String ownerId, Report.Action action,
                               String moderatorId, Instant at, String reason) {
}
