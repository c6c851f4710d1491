package dev.glint.shared.moderation;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.util.Optional;

/**
 * Reports, the queue of open ones and the log of decisions. A report is one item per thing reported;
 * each reporter adds a marker beside it, once.
 */
public interface ModerationStore {

    /** A first report of a thing: who owns it, what it said, and where it joins the queue (a time-ordered id). */
    record NewReport(ReportTarget target, String ownerId, String preview, String queueId) {
    }

    /**
     * Files the reporter's report of the thing, once: the reporter's marker and the report's counts
     * (distinct reporters, per reason) change together; the first report opens the report and puts it
     * in the queue. A report already decided counts the reporter but stays decided.
     *
     * @return the reporter's report: the one just filed, or the one they filed before ({@code created} false)
     */
    Filed file(NewReport report, String reporterId, String reason, String details, java.time.Instant at);

    Optional<Report> find(String reportId);

    /** Open reports, oldest first (the order they were first reported in). */
    Page<Report> open(int limit, Optional<PageToken> after);

    /**
     * Decides an open report: the report closed, it leaves the queue, the action is logged and, for a
     * takedown, the thing is marked removed, all at once. A thing already gone (deleted by its owner)
     * leaves nothing to mark; the decision is still made and logged.
     *
     * @return false if the report is not open (already decided, or never made): nothing changed
     */
    boolean decide(Report report, ModerationAction action);

    /** The decisions, newest first. */
    Page<ModerationAction> actions(int limit, Optional<PageToken> after);
}
