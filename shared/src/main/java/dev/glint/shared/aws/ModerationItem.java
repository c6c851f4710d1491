package dev.glint.shared.aws;

import dev.glint.shared.moderation.Filed;
import dev.glint.shared.moderation.ModerationAction;
import dev.glint.shared.moderation.Report;
import dev.glint.shared.moderation.ReportTarget;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.num;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Reports and moderation as items: a report ({@code REPORT#<id>/REPORT}, entity {@code report}) with
 * its distinct reporters counted in {@code reporters} and per reason in {@code reason:<reason>}; a
 * reporter's marker beside it ({@code REPORT#<id>/BY#<user>}, entity {@code report-by}); an open
 * report's queue entry ({@code MODQUEUE#open/<queueId>#<id>}); a decision in the log
 * ({@code MODLOG/<actionId>}, entity {@code moderation-action}, which the stream processor reads to
 * tell the owner of what was taken down).
 *
 * <p>The report and the log line are indexed under their owner ({@link DynamoTable#referencing}), a
 * reporter's marker under its reporter, so an account's erasure finds them by key.
 */
final class ModerationItem {

    static final String REPORT = "report";
    static final String REPORTER = "report-by";
    static final String QUEUE_ENTRY = "report-queue";
    static final String ACTION = "moderation-action";
    static final String STATUS = "status";
    static final String REPORTERS = "reporters";
    static final String REASON_PREFIX = "reason:";
    static final String QUEUE_ID = "queueId";

    private ModerationItem() {
    }

    private static void target(Map<String, AttributeValue> item, ReportTarget target) {
        item.put("kind", s(target.kind().name()));
        if (target.postId() != null) {
            item.put("postId", s(target.postId()));
        }
        if (target.commentId() != null) {
            item.put("commentId", s(target.commentId()));
        }
        if (target.userId() != null) {
            item.put("userId", s(target.userId()));
        }
    }

    private static ReportTarget target(Map<String, AttributeValue> item) {
        return new ReportTarget(ReportTarget.Kind.valueOf(required(item, "kind")), str(item, "postId"),
                str(item, "commentId"), str(item, "userId"));
    }

    /** A report as its first reporter opens it. */
    static Map<String, AttributeValue> newReport(ReportTarget target, String ownerId, String preview, String queueId,
                                                 String reason, String details, java.time.Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ENTITY, s(REPORT));
        item.put("reportId", s(target.reportId()));
        target(item, target);
        item.put("ownerId", s(ownerId));
        item.put("preview", s(preview));
        item.put(STATUS, s(Report.Status.OPEN.name()));
        item.put(REPORTERS, n(1));
        item.put(REASON_PREFIX + reason, n(1));
        if (details != null) {
            item.put("details", s(details));
        }
        item.put("firstReportedAt", s(at.toString()));
        item.put("lastReportedAt", s(at.toString()));
        item.put(QUEUE_ID, s(queueId));
        return DynamoTable.referencing(DynamoTable.item(Keys.report(target.reportId()), item), ownerId);
    }

    static Report report(Map<String, AttributeValue> item) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        item.keySet().stream().filter(k -> k.startsWith(REASON_PREFIX)).sorted()
                .forEach(k -> reasons.put(k.substring(REASON_PREFIX.length()), num(item, k)));
        Report.Decision decision = item.containsKey("decidedAt") ? new Report.Decision(
                Report.Action.valueOf(required(item, "action")), required(item, "decidedBy"), instant(item, "decidedAt"),
                str(item, "decisionReason")) : null;
        return new Report(required(item, "reportId"), target(item), required(item, "ownerId"), str(item, "preview"),
                Report.Status.valueOf(required(item, STATUS)), num(item, REPORTERS), reasons, str(item, "details"),
                instant(item, "firstReportedAt"), instant(item, "lastReportedAt"), decision);
    }

    static Map<String, AttributeValue> reporter(ReportTarget target, String reporterId, String reason, String details,
                                                java.time.Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ENTITY, s(REPORTER));
        item.put("reportId", s(target.reportId()));
        target(item, target);
        item.put("reporterId", s(reporterId));
        item.put("reason", s(reason));
        if (details != null) {
            item.put("details", s(details));
        }
        item.put("createdAt", s(at.toString()));
        return DynamoTable.referencing(DynamoTable.item(Keys.reporter(target.reportId(), reporterId), item), reporterId);
    }

    static Filed filed(Map<String, AttributeValue> item, boolean created) {
        return new Filed(required(item, "reportId"), target(item), required(item, "reason"), str(item, "details"),
                instant(item, "createdAt"), created);
    }

    static Map<String, AttributeValue> queueEntry(String queueId, String reportId) {
        return DynamoTable.item(Keys.moderationQueueEntry(queueId, reportId), Map.of(ENTITY, s(QUEUE_ENTRY),
                "reportId", s(reportId)));
    }

    static String queuedReportId(Map<String, AttributeValue> item) {
        return required(item, "reportId");
    }

    static Map<String, AttributeValue> action(ModerationAction action) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ENTITY, s(ACTION));
        item.put("actionId", s(action.id()));
        item.put("reportId", s(action.reportId()));
        target(item, action.target());
        item.put("ownerId", s(action.ownerId()));
        item.put("action", s(action.action().name()));
        item.put("moderatorId", s(action.moderatorId()));
        item.put("at", s(action.at().toString()));
        if (action.reason() != null) {
            item.put("reason", s(action.reason()));
        }
        return DynamoTable.referencing(DynamoTable.item(Keys.moderationAction(action.id()), item), action.ownerId());
    }

    /**
     * The attributes of a log line that name its owner or what they made: an erasure removes them (and the
     * line's place in the owner's index), keeping the kind, action, moderator, time and reason.
     */
    static final java.util.List<String> NAMING_OWNER = java.util.List.of("reportId", "postId", "commentId", "userId",
            "ownerId", DynamoTable.GSI1PK, DynamoTable.GSI1SK);
    /** Set on a log line whose owner was erased. */
    static final String ERASED = "ownerErased";

    static ModerationAction action(Map<String, AttributeValue> item) {
        return new ModerationAction(required(item, "actionId"), str(item, "reportId"), target(item),
                str(item, "ownerId"), Report.Action.valueOf(required(item, "action")), required(item, "moderatorId"),
                instant(item, "at"), str(item, "reason"));
    }
}
