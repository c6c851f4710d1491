package dev.glint.shared.aws;

import dev.glint.shared.changes.TableChange;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.json.Json;
import dev.glint.shared.moderation.ModerationAction;
import dev.glint.shared.moderation.Report;
import dev.glint.shared.moderation.ReportTarget;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Profile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream's event filter lets through exactly the records the decoder reads as something. */
class StreamFilterTest {

    private static final Instant AT = Instant.parse("2026-11-22T09:00:00Z");
    private final StreamDecoder decoder = new StreamDecoder(Clock.fixed(AT, ZoneOffset.UTC));

    /** One item of every kind the table holds, written by its own mapper. */
    private static Map<String, Map<String, AttributeValue>> everyKindOfItem() {
        Post post = new Post("01JD3X9K2M4N5P6Q7R8S9T0V1W", "author", "hi #sun", PostStatus.READY,
                java.util.List.of(Photo.of("up", "uploads/author/up", "a lake", null).processed(
                        Map.of("thumb", "media/x/thumb.jpg"), "LEHV6nWB2yk8pyo0adR*.7kCMdnj", 640, 480)), AT, 2, 1, null, 3);
        var edge = new FollowItem.Edge("fan", "star", "o1", AT);
        var exposure = new ExperimentStore.Exposure("e", "0a1b2c", "u1", "b", List.of(new Variant("a", 60), new Variant("b", 40)), AT);
        var conversion = new ExperimentStore.Conversion("e", "0a1b2c", "u1", "b", "likes", AT);
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        items.put("post", PostItem.toItem(post));
        items.put("author-post", PostItem.authorEntry("author", post.id()));
        items.put("like", EngagementItem.like(new EngagementItem.Like("p1", "fan", AT)));
        items.put("comment", EngagementItem.comment(new Comment("c1", "p1", "fan", "nice", AT)));
        items.put("follow", FollowItem.edge(edge));
        items.put("following", FollowItem.followingEntry(edge));
        items.put("follower", FollowItem.followerEntry(edge));
        items.put("approved-follow", FollowItem.approvedEdge(edge));
        items.put("follow-request", DynamoPrivacyStore.requestEdge("fan", "star", "o1", AT));
        items.put("follow-request-entry", DynamoPrivacyStore.requestEntry("fan", "star", "o1", AT));
        items.put("profile", ProfileItem.toItem(new Profile("u1", "alice", "Alice", "", 0, 0, 0, AT, 1)));
        items.put("handle", ProfileItem.handleClaim("u1", "alice"));
        items.put("exposure", ExperimentItem.exposure(exposure, AT.plus(Duration.ofDays(30))));
        items.put("conversion", ExperimentItem.conversion(conversion, AT.plus(Duration.ofDays(30))));
        items.put("feed", FeedItem.entry("fan", post.id(), "author", 1L));
        items.put("fanout-page", FeedItem.pageDone(post.id(), "p0", 1L));
        items.put("celebrity-promoted", FeedItem.promoted("star"));
        items.put("celebrity-promotion", FeedItem.promotionStarted("star", 1L));
        items.put("tag", TagItem.entry("sun", "2026-11-22", post.id()));
        items.put("tag-first-day", TagItem.firstDay("sun", "2026-11-22"));
        items.put("notifications-read", NotificationItem.readUpTo("u1", "n1"));
        var reported = ReportTarget.post(post.id());
        items.put("report", ModerationItem.newReport(reported, "author", "hi", "01JD3X9K2M4N5P6Q7R8S9T0V1X", "spam", null, AT));
        items.put("report-by", ModerationItem.reporter(reported, "fan", "spam", null, AT));
        items.put("report-queue", ModerationItem.queueEntry("01JD3X9K2M4N5P6Q7R8S9T0V1X", reported.reportId()));
        items.put("takedown", ModerationItem.action(new ModerationAction("01JD3X9K2M4N5P6Q7R8S9T0V1Y", reported.reportId(), reported,
                "author", Report.Action.TAKEDOWN, "mod", AT, "Spam.")));
        items.put("dismissal", ModerationItem.action(new ModerationAction("01JD3X9K2M4N5P6Q7R8S9T0V1Z", reported.reportId(), reported,
                "author", Report.Action.DISMISS, "mod", AT, null)));
        items.put("no entity", Map.of("pk", AttributeValue.fromS("X#1"), "sk", AttributeValue.fromS("Y")));
        return items;
    }

    @Test
    void everyRecordTheDecoderReadsPassesAndEveryOtherRecordIsFilteredOut() {
        int passed = 0;
        int dropped = 0;
        for (var item : everyKindOfItem().entrySet()) {
            for (ChangeRecord.Kind kind : ChangeRecord.Kind.values()) {
                Map<String, AttributeValue> image = item.getValue();
                ChangeRecord record = new ChangeRecord("ev", "1", kind, Map.of("pk", image.getOrDefault("pk", AttributeValue.fromS("k"))),
                        kind == ChangeRecord.Kind.REMOVE ? Map.of() : image, kind == ChangeRecord.Kind.INSERT ? Map.of() : image);
                boolean used = !(decoder.decode(record) instanceof TableChange.Unrelated);
                assertEquals(used, StreamFilter.matches(record), kind + " of " + item.getKey());
                if (used) {
                    passed++;
                } else {
                    dropped++;
                }
            }
        }
        // 11 insertions (two of them moderators' decisions, one an approved follow, one a follow request), a post's
        // changes, 5 removals (one an approved follow's)
        assertEquals(17, passed);
        assertTrue(dropped > passed, "most kinds of change need no processing");
    }

    @Test
    void thePatternsAreLambdasFilterCriteria() {
        assertEquals(List.of(
                "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[\"comment\",\"conversion\",\"exposure\",\"follow\",\"followrequest\",\"like\",\"moderation-action\",\"post\",\"profile\"]}}}}",
                "{\"eventName\":[\"MODIFY\"],\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[\"post\"]}}}}",
                "{\"eventName\":[\"REMOVE\"],\"dynamodb\":{\"OldImage\":{\"entity\":{\"S\":[\"comment\",\"follow\",\"like\",\"post\"]}}}}"),
                StreamFilter.patterns());
        assertTrue(StreamFilter.patterns().size() <= 5, "Lambda takes 5 filters per event source mapping by default");
    }

    @Test
    void matchingFollowsLambdasRulesForTheSyntaxUsed() throws Exception {
        var pattern = Json.readTree("{\"a\":[\"x\",\"y\"],\"b\":{\"c\":[1]}}");
        assertTrue(StreamFilter.matches(pattern, Json.readTree("{\"a\":\"y\",\"b\":{\"c\":1.0,\"d\":2},\"e\":3}")));
        assertTrue(StreamFilter.matches(pattern, Json.readTree("{\"a\":[\"z\",\"x\"],\"b\":{\"c\":1}}")), "an array matches by any element");
        assertFalse(StreamFilter.matches(pattern, Json.readTree("{\"a\":\"z\",\"b\":{\"c\":1}}")));
        assertFalse(StreamFilter.matches(pattern, Json.readTree("{\"b\":{\"c\":1}}")), "a missing field never matches");
        assertFalse(StreamFilter.matches(pattern, Json.readTree("{\"a\":\"x\",\"b\":\"c\"}")), "an object matches an object only");
        assertThrows(IllegalArgumentException.class, () -> StreamFilter.matches(Json.readTree("{\"a\":[{\"prefix\":\"x\"}]}"),
                Json.readTree("{\"a\":\"xy\"}")), "content filters are not emulated");
    }

    @Test
    void aTemplatesPatternsFilterAsTheyAreWrittenAndUnsupportedSyntaxIsRefusedBeforeAnyRecord() {
        var onlyLikes = StreamFilter.of(List.of("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[\"like\"]}}}}"));
        var ownPatterns = StreamFilter.of(StreamFilter.patterns());
        int likes = 0;
        for (var item : everyKindOfItem().entrySet()) {
            Map<String, AttributeValue> image = item.getValue();
            for (ChangeRecord.Kind kind : ChangeRecord.Kind.values()) {
                ChangeRecord record = new ChangeRecord("ev", "1", kind, Map.of("pk", image.getOrDefault("pk", AttributeValue.fromS("k"))),
                        kind == ChangeRecord.Kind.REMOVE ? Map.of() : image, kind == ChangeRecord.Kind.INSERT ? Map.of() : image);
                assertEquals(StreamFilter.matches(record), ownPatterns.test(record), "the code's patterns read back from a template");
                boolean like = kind == ChangeRecord.Kind.INSERT && image.containsKey("entity") && image.get("entity").s().equals("like");
                assertEquals(like, onlyLikes.test(record), kind + " of " + item.getKey());
                likes += like ? 1 : 0;
            }
        }
        assertEquals(1, likes);
        var prefix = assertThrows(IllegalArgumentException.class,
                () -> StreamFilter.of(List.of("{\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[{\"prefix\":\"p\"}]}}}}")));
        assertTrue(prefix.getMessage().contains("prefix"), prefix.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamFilter.of(List.of("not json")));
        assertThrows(IllegalArgumentException.class, () -> StreamFilter.of(List.of("{\"eventName\":\"INSERT\"}")));
    }
}
