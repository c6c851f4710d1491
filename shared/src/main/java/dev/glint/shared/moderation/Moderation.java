package dev.glint.shared.moderation;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Blocks;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.SocialException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Reports and their moderation. Anyone with a profile reports a post, a comment or an account they can
 * see (not their own); each person counts once per thing. Moderators read the open reports oldest
 * first and take the thing down or dismiss the report; each decision is logged and made once.
 */
public final class Moderation {

    /** The reasons a reporter picks from, in the order a client offers them. */
    public static final List<String> REASONS = List.of("spam", "harassment", "hate", "violence", "nudity", "self_harm",
            "misinformation", "other");
    public static final int MAX_DETAILS = 1_000;
    public static final int MAX_DECISION_REASON = 500;
    static final int MAX_PREVIEW = 280;

    private final Accounts accounts;
    private final Publishing publishing;
    private final PostStore posts;
    private final Blocks blocks;
    private final ModerationStore store;
    private final Ids ids;
    private final Clock clock;

    public Moderation(Accounts accounts, Publishing publishing, PostStore posts, Blocks blocks, ModerationStore store,
                      Ids ids, Clock clock) {
        this.accounts = accounts;
        this.publishing = publishing;
        this.posts = posts;
        this.blocks = blocks;
        this.store = store;
        this.ids = ids;
        this.clock = clock;
    }

    /** What a reporter names: one of a post id, a comment id (with its post's id, or alone), or a handle. */
    public record Subject(Optional<String> postId, Optional<String> commentId, Optional<String> handle) {
    }

    /**
     * Files the reporter's report. {@code reason} is one of {@link #REASONS}; {@code details} optional
     * free text (required for {@code other}). Something the reporter cannot see is, to them, missing.
     */
    public Filed report(String reporterId, Subject subject, String reason, Optional<String> details) {
        if (reason == null || !REASONS.contains(reason)) {
            throw SocialException.invalid("invalid_reason", "reason must be one of " + String.join(", ", REASONS) + ".");
        }
        String text = details.map(String::strip).filter(d -> !d.isEmpty()).orElse(null);
        if (text != null && text.codePointCount(0, text.length()) > MAX_DETAILS) {
            throw SocialException.invalid("invalid_details", "details holds at most " + MAX_DETAILS + " characters.");
        }
        if (text != null && text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw SocialException.invalid("invalid_details", "details may not hold control characters other than newlines and tabs.");
        }
        if ("other".equals(reason) && text == null) {
            throw SocialException.invalid("details_required", "Say what is wrong in details when the reason is other.");
        }
        int named = (subject.handle().isPresent() ? 1 : 0)
                + (subject.postId().isPresent() || subject.commentId().isPresent() ? 1 : 0);
        if (named != 1) {
            throw SocialException.invalid("invalid_target", "Report exactly one thing: {\"postId\"}, {\"commentId\"}"
                    + " (a comment; its post's postId may come with it) or {\"handle\"}.");
        }
        accounts.me(reporterId);
        ModerationStore.NewReport target = subject.handle().isPresent() ? account(reporterId, subject.handle().get())
                : subject.commentId().isPresent() && subject.postId().isEmpty() ? commentAlone(reporterId, subject.commentId().get())
                : subject.commentId().isPresent() ? comment(reporterId, subject.postId().get(), subject.commentId().get())
                : post(reporterId, subject.postId().get());
        return store.file(target, reporterId, reason, text, clock.instant());
    }

    private ModerationStore.NewReport post(String reporterId, String postId) {
        Post post = visiblePost(reporterId, postId);
        if (post.authorId().equals(reporterId)) {
            throw SocialException.invalid("cannot_report_own", "You cannot report your own post; delete it instead.");
        }
        return new ModerationStore.NewReport(ReportTarget.post(postId), post.authorId(), preview(post.caption()), ids.next());
    }

    /**
     * A comment named by its id alone: found through its locator, then as with its post's id. The reporter did not
     * name the post, so a post they may not see answers as a comment that does not exist (it says nothing more).
     */
    private ModerationStore.NewReport commentAlone(String reporterId, String commentId) {
        String postId = (Ids.valid(commentId) ? posts.postOfComment(commentId) : Optional.<String>empty())
                .orElseThrow(Moderation::noComment);
        try {
            return comment(reporterId, postId, commentId);
        } catch (SocialException e) {
            if ("post_not_found".equals(e.code()) || "comment_not_found".equals(e.code())) {
                throw noComment();
            }
            throw e;
        }
    }

    private static SocialException noComment() {
        return SocialException.notFound("comment_not_found", "No such comment.");
    }

    private ModerationStore.NewReport comment(String reporterId, String postId, String commentId) {
        visiblePost(reporterId, postId);
        Comment comment = (Ids.valid(commentId) ? posts.findComment(postId, commentId) : Optional.<Comment>empty())
                .filter(c -> c.authorId().equals(reporterId) || (c.removed() == null
                        && blocks.hidden(reporterId, List.of(c.authorId())).isEmpty() && !accounts.suspended(c.authorId())))
                .orElseThrow(() -> SocialException.notFound("comment_not_found", "No such comment on this post."));
        if (comment.authorId().equals(reporterId)) {
            throw SocialException.invalid("cannot_report_own", "You cannot report your own comment; delete it instead.");
        }
        return new ModerationStore.NewReport(ReportTarget.comment(postId, commentId), comment.authorId(),
                preview(comment.text()), ids.next());
    }

    private ModerationStore.NewReport account(String reporterId, String handle) {
        Profile profile = accounts.byHandle(handle, reporterId);
        if (profile.id().equals(reporterId)) {
            throw SocialException.invalid("cannot_report_self", "You cannot report yourself.");
        }
        if (!blocks.hidden(reporterId, List.of(profile.id())).isEmpty()) {
            // Answered as Accounts answers a handle nobody has.
            throw SocialException.notFound("user_not_found", "No user has the handle '" + handle + "'.");
        }
        return new ModerationStore.NewReport(ReportTarget.account(profile.id()), profile.id(),
                preview("@" + profile.handle() + " " + profile.displayName()), ids.next());
    }

    /** The post as the reporter sees it: missing if they may not see it (not ready, blocked, removed, its author suspended). */
    private Post visiblePost(String reporterId, String postId) {
        if (!Ids.valid(postId)) {
            throw SocialException.notFound("post_not_found", "No such post.");
        }
        Post post = publishing.post(postId, reporterId);
        if (!post.authorId().equals(reporterId) && accounts.suspended(post.authorId())) {
            throw SocialException.notFound("post_not_found", "No such post.");
        }
        return post;
    }

    private static String preview(String text) {
        String t = text == null ? "" : text.strip();
        return t.codePointCount(0, t.length()) <= MAX_PREVIEW ? t
                : t.substring(0, t.offsetByCodePoints(0, MAX_PREVIEW - 1)) + "…";
    }

    /** Open reports, oldest first. */
    public Page<Report> queue(int limit, Optional<PageToken> after) {
        return store.open(limit, after);
    }

    public Report find(String reportId) {
        return ReportTarget.ofReportId(reportId).flatMap(t -> store.find(reportId))
                .orElseThrow(() -> notFound(reportId));
    }

    /**
     * Takes the reported thing down ({@code reason} required: its owner reads it) or dismisses the
     * report ({@code reason} optional). A report decided already answers 409 and changes nothing.
     */
    public Report decide(String moderatorId, String reportId, Report.Action action, Optional<String> reason) {
        String why = reason.map(String::strip).filter(r -> !r.isEmpty()).orElse(null);
        if (action == Report.Action.TAKEDOWN && why == null) {
            throw SocialException.invalid("reason_required", "A takedown needs a reason (its owner reads it): {\"reason\": \"...\"}.");
        }
        if (why != null && (why.codePointCount(0, why.length()) > MAX_DECISION_REASON
                || why.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
            throw SocialException.invalid("invalid_reason", "reason holds at most " + MAX_DECISION_REASON
                    + " characters and no control characters but newlines.");
        }
        Report report = find(reportId);
        if (report.status() != Report.Status.OPEN) {
            throw alreadyDecided(report);
        }
        ModerationAction logged = new ModerationAction(ids.next(), report.id(), report.target(), report.ownerId(), action,
                moderatorId, clock.instant(), why);
        if (!store.decide(report, logged)) {
            // Decided meanwhile, or gone meanwhile (its owner's account was erased, and its reports with it).
            throw alreadyDecided(store.find(reportId).orElseThrow(() -> notFound(reportId)));
        }
        return store.find(reportId).orElseThrow(() -> notFound(reportId));
    }

    /** The decisions, newest first. */
    public Page<ModerationAction> actions(int limit, Optional<PageToken> after) {
        return store.actions(limit, after);
    }

    private static SocialException alreadyDecided(Report report) {
        String what = report.decision() == null ? "decided" : report.decision().action() == Report.Action.TAKEDOWN
                ? "taken down by " + report.decision().moderatorId() + " at " + report.decision().at()
                : "dismissed by " + report.decision().moderatorId() + " at " + report.decision().at();
        return SocialException.conflict("report_decided", "This report was already " + what + "; nothing changed.");
    }

    private static SocialException notFound(String ignored) {
        return SocialException.notFound("report_not_found", "No such report: list the open ones with GET /v1/moderation/reports.");
    }
}
