package dev.glint.shared.moderation;

import java.time.Instant;

/**
 * One person's report of one thing, as its reporter sees it. Reporting the same thing again answers
 * this same report ({@code created} false) and counts nothing.
 *
 * @param details the reporter's free text, or null
 */
public record Filed(String reportId, ReportTarget target, String reason, String details, Instant createdAt,
                    boolean created) {
}
