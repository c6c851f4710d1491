package dev.glint.shared.aws;

import dev.glint.shared.moderation.Filed;
import dev.glint.shared.moderation.ModerationAction;
import dev.glint.shared.moderation.ModerationStore;
import dev.glint.shared.moderation.Report;
import dev.glint.shared.moderation.ReportTarget;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.SocialException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link ModerationStore} on the table ({@link ModerationItem} has the layout). Filing a report is one
 * transaction of the reporter's marker (absent) and the report (put when first, else counted); a
 * decision is one transaction of the report (still open), its queue entry, the log line and, for a
 * takedown, the thing marked removed. Nothing here scans: the queue and the log are partitions of their own.
 */
public final class DynamoModerationStore implements ModerationStore {

    /** A first report racing another first report of the same thing loses its put and counts as the second. */
    private static final int FILE_ATTEMPTS = 4;

    private final DynamoTable table;

    public DynamoModerationStore(DynamoDbClient client, String tableName) {
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public Filed file(NewReport report, String reporterId, String reason, String details, Instant at) {
        ReportTarget target = report.target();
        String reportId = target.reportId();
        Map<String, AttributeValue> marker = ModerationItem.reporter(target, reporterId, reason, details, at);
        for (int attempt = 1; ; attempt++) {
            boolean exists = table.get(Keys.report(reportId), true).isPresent();
            List<TransactWriteItem> steps = new ArrayList<>();
            steps.add(table.put(marker, "attribute_not_exists(pk)"));
            if (exists) {
                Map<String, String> names = new HashMap<>();
                names.put("#reason", ModerationItem.REASON_PREFIX + reason);
                Map<String, AttributeValue> values = new HashMap<>();
                values.put(":one", n(1));
                values.put(":at", s(at.toString()));
                String set = "SET lastReportedAt = :at";
                if (details != null) {
                    set += ", #details = :details";
                    names.put("#details", "details");
                    values.put(":details", s(details));
                }
                steps.add(table.update(Keys.report(reportId), set + " ADD " + ModerationItem.REPORTERS + " :one, #reason :one",
                        names, values, "attribute_exists(pk)"));
            } else {
                steps.add(table.put(ModerationItem.newReport(target, report.ownerId(), report.preview(), report.queueId(),
                        reason, details, at), "attribute_not_exists(pk)"));
                steps.add(table.put(ModerationItem.queueEntry(report.queueId(), reportId), "attribute_not_exists(pk)"));
            }
            // The reporter still has a profile: a report cannot land after their account's erasure began (and
            // perhaps already withdrew their reports), whatever was read before.
            steps.add(table.exists(Keys.userProfile(reporterId)));
            try {
                table.transact(steps);
                return ModerationItem.filed(marker, true);
            } catch (DynamoTable.ConditionFailed e) {
                if (e.index() == steps.size() - 1) {
                    throw SocialException.notFound("profile_not_found", "You have no profile yet: create one with PUT /v1/me {\"handle\":\"...\"}.");
                }
                if (e.index() == 0) {
                    // Reported by this reporter before: their report stands as it was; nothing counts again.
                    Optional<Map<String, AttributeValue>> before = table.get(Keys.reporter(reportId, reporterId), true);
                    if (before.isPresent()) {
                        return ModerationItem.filed(before.get(), false);
                    }
                }
                if (attempt >= FILE_ATTEMPTS) {
                    throw new IllegalStateException("the report of " + reportId + " kept changing under its filing");
                }
            }
        }
    }

    @Override
    public Optional<Report> find(String reportId) {
        return table.get(Keys.report(reportId), true).map(ModerationItem::report);
    }

    @Override
    public Page<Report> open(int limit, Optional<PageToken> after) {
        Page<String> ids = table.page(Keys.moderationQueuePartition(), null, false, limit, after, false,
                ModerationItem::queuedReportId);
        // The entries' reports, in the queue's order; one decided since the entry was read is left out.
        List<Report> reports = table.getAll(ids.items().stream().map(Keys::report).toList(), false).stream()
                .map(ModerationItem::report).filter(r -> r.status() == Report.Status.OPEN).toList();
        return new Page<>(reports, ids.next());
    }

    @Override
    public boolean decide(Report report, ModerationAction action) {
        Optional<String> queueId = queueId(report);
        if (queueId.isEmpty()) {
            // Gone since it was read: its owner's account was erased.
            return false;
        }
        Report.Status status = action.action() == Report.Action.TAKEDOWN ? Report.Status.TAKEN_DOWN : Report.Status.DISMISSED;
        Map<String, String> names = Map.of("#status", ModerationItem.STATUS, "#action", "action");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":open", s(Report.Status.OPEN.name()));
        values.put(":status", s(status.name()));
        values.put(":action", s(action.action().name()));
        values.put(":by", s(action.moderatorId()));
        values.put(":at", s(action.at().toString()));
        String set = "SET #status = :status, #action = :action, decidedBy = :by, decidedAt = :at";
        if (action.reason() != null) {
            set += ", decisionReason = :reason";
            values.put(":reason", s(action.reason()));
        }
        List<TransactWriteItem> steps = new ArrayList<>();
        steps.add(table.update(Keys.report(report.id()), set, names, values, "#status = :open"));
        steps.add(table.delete(Keys.moderationQueueEntry(queueId.get(), report.id()), "attribute_exists(pk)", Map.of()));
        steps.add(table.put(ModerationItem.action(action), "attribute_not_exists(pk)"));
        if (action.action() == Report.Action.TAKEDOWN) {
            steps.add(removal(report.target(), action));
        }
        try {
            table.transact(steps);
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            if (e.index() == 3) {
                // The thing is gone (its owner deleted it): nothing to mark, the decision still stands.
                table.transact(steps.subList(0, 3));
                return true;
            }
            return false;
        }
    }

    private Optional<String> queueId(Report report) {
        return table.get(Keys.report(report.id()), true).map(item -> DynamoTable.required(item, ModerationItem.QUEUE_ID));
    }

    /**
     * The thing marked removed, only if it still exists. A post's status becomes {@code REMOVED}: every
     * read path shows other people's posts only when ready, the media worker finishes only posts still
     * processing, the fan-out pushes only ready ones and the tag index drops a post that stops being ready,
     * so a takedown racing a post's processing, fan-out or edit (which sets the caption and alt texts only)
     * leaves it removed whatever the order.
     */
    private TransactWriteItem removal(ReportTarget target, ModerationAction action) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":reason", s(action.reason()));
        values.put(":at", s(action.at().toString()));
        String set = "SET " + PostItem.REMOVED_REASON + " = :reason, " + PostItem.REMOVED_AT + " = :at";
        return switch (target.kind()) {
            case POST -> {
                values.put(":removed", s(PostStatus.REMOVED.name()));
                values.put(":one", n(1));
                yield table.update(Keys.post(target.postId()), set + ", #status = :removed ADD " + PostItem.VERSION + " :one",
                        Map.of("#status", PostItem.STATUS), values, "attribute_exists(pk)");
            }
            case COMMENT -> table.update(Keys.comment(target.postId(), target.commentId()), set, Map.of(), values,
                    "attribute_exists(pk)");
            case ACCOUNT -> {
                values.put(":one", n(1));
                yield table.update(Keys.userProfile(target.userId()), set + " ADD " + ProfileItem.VERSION + " :one",
                        Map.of(), values, "attribute_exists(pk)");
            }
        };
    }

    @Override
    public Page<ModerationAction> actions(int limit, Optional<PageToken> after) {
        return table.page(Keys.moderationLogPartition(), null, true, limit, after, false, ModerationItem::action);
    }
}
