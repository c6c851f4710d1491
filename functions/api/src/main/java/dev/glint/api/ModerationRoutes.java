package dev.glint.api;

import dev.glint.shared.moderation.Filed;
import dev.glint.shared.moderation.Moderation;
import dev.glint.shared.moderation.ModerationAction;
import dev.glint.shared.moderation.Report;
import dev.glint.shared.moderation.ReportTarget;
import dev.glint.shared.paging.Page;
import dev.glint.shared.social.Profile;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.limit;
import static dev.glint.api.RouteSupport.requireModerator;

/**
 * Reports and moderation: anyone reports a post, a comment or an account; moderators (the
 * {@code moderator} group) read the open reports oldest first, take the thing down or dismiss the
 * report, and read the log of decisions.
 */
final class ModerationRoutes implements RouteGroup {

    /** What a report is about; {@code kind} is {@code post}, {@code comment} or {@code account}. */
    record TargetView(String kind, Optional<String> postId, Optional<String> commentId, Optional<Views.AuthorView> account) {
    }

    /** My report, as I filed it (the same answer when I report the same thing again). */
    record FiledView(TargetView target, String reason, Optional<String> details, String createdAt) {
    }

    record DecisionView(String action, Views.AuthorView moderator, String at, Optional<String> reason) {
    }

    /**
     * A report as moderators see it: {@code reporters} distinct people, per {@code reasons}; the thing's
     * {@code owner} and {@code preview} (its text when first reported); {@code decision} once decided.
     */
    record ReportView(String id, TargetView target, Views.AuthorView owner, String preview, String status, long reporters,
                      Map<String, Long> reasons, Optional<String> details, String firstReportedAt, String lastReportedAt,
                      Optional<DecisionView> decision) {
    }

    /** {@code reportId} and {@code owner} are absent (and the target has only its kind) once the owner's account was erased. */
    record ActionView(String id, Optional<String> reportId, TargetView target, Optional<Views.AuthorView> owner, String action,
                      Views.AuthorView moderator, String at, Optional<String> reason) {
    }

    private final Moderation moderation;
    private final Views views;
    private final RouteSupport support;

    ModerationRoutes(Moderation moderation, Views views, RouteSupport support) {
        this.moderation = moderation;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("POST", "/v1/reports", this::report)
                .add("GET", "/v1/moderation/reports", this::queue)
                .add("GET", "/v1/moderation/reports/{id}", r -> {
                    requireModerator(r);
                    Report report = moderation.find(r.pathParams().get("id"));
                    return HttpResponse.json(200, reports(List.of(report)).get(0));
                })
                .add("POST", "/v1/moderation/reports/{id}/takedown", r -> decide(r, Report.Action.TAKEDOWN))
                .add("POST", "/v1/moderation/reports/{id}/dismiss", r -> decide(r, Report.Action.DISMISS))
                .add("GET", "/v1/moderation/actions", this::actions);
    }

    /** {@code {"postId"} | {"postId", "commentId"} | {"handle"}, "reason", "details"}: 202 with my report. */
    private HttpResponse report(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("postId", "commentId", "handle", "reason", "details"));
        Filed filed = moderation.report(caller, new Moderation.Subject(body.optionalString("postId"),
                body.optionalString("commentId"), body.optionalString("handle")), body.requiredString("reason"),
                body.optionalString("details"));
        Map<String, Profile> people = views.authors(filed.target().userId() == null ? List.of() : List.of(filed.target().userId()));
        return HttpResponse.json(202, new FiledView(target(filed.target(), people), filed.reason(),
                Optional.ofNullable(filed.details()), filed.createdAt().toString()));
    }

    private HttpResponse queue(HttpRequest request) {
        requireModerator(request);
        String list = "moderation-queue";
        Page<Report> page = moderation.queue(limit(request), support.after(request, list));
        return support.page(reports(page.items()), page.next(), list);
    }

    private HttpResponse decide(HttpRequest request, Report.Action action) {
        String moderator = requireModerator(request);
        Optional<String> reason = Optional.empty();
        if (request.body().length > 0 || action == Report.Action.TAKEDOWN) {
            reason = JsonBody.read(request, Set.of("reason")).optionalString("reason");
        }
        Report report = moderation.decide(moderator, request.pathParams().get("id"), action, reason);
        return HttpResponse.json(200, reports(List.of(report)).get(0));
    }

    private HttpResponse actions(HttpRequest request) {
        requireModerator(request);
        String list = "moderation-actions";
        Page<ModerationAction> page = moderation.actions(limit(request), support.after(request, list));
        Set<String> people = new HashSet<>();
        page.items().forEach(a -> {
            if (a.ownerId() != null) {
                people.add(a.ownerId());
            }
            people.add(a.moderatorId());
        });
        Map<String, Profile> found = views.authors(people);
        return support.page(page.items().stream().map(a -> new ActionView(a.id(), Optional.ofNullable(a.reportId()),
                target(a.target(), found), Optional.ofNullable(a.ownerId()).map(id -> Views.author(id, found)), name(a.action()), Views.author(a.moderatorId(), found), a.at().toString(),
                Optional.ofNullable(a.reason()))).toList(), page.next(), list);
    }

    private List<ReportView> reports(List<Report> reports) {
        Set<String> people = new HashSet<>();
        reports.forEach(r -> {
            people.add(r.ownerId());
            if (r.decision() != null) {
                people.add(r.decision().moderatorId());
            }
        });
        Map<String, Profile> found = views.authors(people);
        return reports.stream().map(r -> new ReportView(r.id(), target(r.target(), found), Views.author(r.ownerId(), found),
                r.preview(), name(r.status()), r.reporters(), r.reasons(), Optional.ofNullable(r.details()),
                r.firstReportedAt().toString(), r.lastReportedAt().toString(),
                Optional.ofNullable(r.decision()).map(d -> new DecisionView(name(d.action()),
                        Views.author(d.moderatorId(), found), d.at().toString(), Optional.ofNullable(d.reason())))))
                .toList();
    }

    private static TargetView target(ReportTarget target, Map<String, Profile> people) {
        return new TargetView(target.kind() == ReportTarget.Kind.ACCOUNT ? "account" : name(target.kind()),
                Optional.ofNullable(target.postId()), Optional.ofNullable(target.commentId()),
                Optional.ofNullable(target.userId()).map(id -> Views.author(id, people)));
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
