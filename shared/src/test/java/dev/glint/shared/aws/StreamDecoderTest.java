package dev.glint.shared.aws;

import dev.glint.shared.changes.TableChange;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Variant;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table's change records read into typed changes, the way the items are written. */
class StreamDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant EARLIER = Instant.parse("2026-11-22T09:00:00Z");
    private final StreamDecoder decoder = new StreamDecoder(Clock.fixed(NOW, ZoneOffset.UTC));

    private static ChangeRecord insert(Map<String, AttributeValue> item) {
        return new ChangeRecord("ev", "1", ChangeRecord.Kind.INSERT, Map.of(), item, Map.of());
    }

    private static ChangeRecord remove(Map<String, AttributeValue> item) {
        return new ChangeRecord("ev", "1", ChangeRecord.Kind.REMOVE, Map.of(), Map.of(), item);
    }

    private static Post post(PostStatus status) {
        return new Post("01JD3X9K2M4N5P6Q7R8S9T0V1W", "author", "hi #sun", status,
                java.util.List.of(Photo.of("up", "uploads/author/up", "", null).processed(
                        status == PostStatus.READY ? Map.of("thumb", "media/x/thumb.jpg") : Map.of(), null, 0, 0)),
                EARLIER, 2, 1, null, 3);
    }

    @Test
    void aPostsLifeIsCreatedChangedAndDeleted() {
        Post processing = post(PostStatus.PROCESSING);
        Post ready = post(PostStatus.READY);
        assertEquals(new TableChange.PostCreated("ev", processing), decoder.decode(insert(PostItem.toItem(processing))));
        assertEquals(new TableChange.PostChanged("ev", processing, ready), decoder.decode(new ChangeRecord("ev", "1",
                ChangeRecord.Kind.MODIFY, Map.of(), PostItem.toItem(ready), PostItem.toItem(processing))));
        assertEquals(new TableChange.PostDeleted("ev", ready), decoder.decode(remove(PostItem.toItem(ready))));
    }

    @Test
    void likesCommentsFollowsAndProfilesAreReadFromTheirItems() {
        var like = new EngagementItem.Like("p1", "fan", EARLIER);
        assertEquals(new TableChange.LikeAdded("ev", "p1", "fan", EARLIER), decoder.decode(insert(EngagementItem.like(like))));
        assertEquals(new TableChange.LikeRemoved("ev", "p1", "fan", EARLIER), decoder.decode(remove(EngagementItem.like(like))));
        Comment comment = new Comment("c1", "p1", "fan", "nice", EARLIER);
        assertEquals(new TableChange.CommentAdded("ev", comment), decoder.decode(insert(EngagementItem.comment(comment))));
        assertEquals(new TableChange.CommentRemoved("ev", comment), decoder.decode(remove(EngagementItem.comment(comment))));
        var edge = new FollowItem.Edge("fan", "star", "o1", EARLIER);
        assertEquals(new TableChange.FollowAdded("ev", "fan", "star", EARLIER), decoder.decode(insert(FollowItem.edge(edge))));
        assertEquals(new TableChange.FollowRemoved("ev", "fan", "star", EARLIER), decoder.decode(remove(FollowItem.edge(edge))));
        assertEquals(new TableChange.FollowAdded("ev", "fan", "star", EARLIER, true), decoder.decode(insert(FollowItem.approvedEdge(edge))),
                "a private account's owner approved it");
        assertEquals(new TableChange.FollowRequested("ev", "fan", "star", EARLIER),
                decoder.decode(insert(DynamoPrivacyStore.requestEdge("fan", "star", "o1", EARLIER))));
        assertEquals(new TableChange.Unrelated("ev"), decoder.decode(remove(DynamoPrivacyStore.requestEdge("fan", "star", "o1", EARLIER))),
                "a request withdrawn, denied or approved tells no one");
        Profile profile = new Profile("u1", "alice", "Alice", "", 0, 0, 0, EARLIER, 1);
        assertEquals(new TableChange.ProfileCreated("ev", "u1", EARLIER), decoder.decode(insert(ProfileItem.toItem(profile))));
    }

    @Test
    void experimentMarkersAreReadOnInsertion() {
        var exposure = new ExperimentStore.Exposure("e", "0a1b2c", "u1", "b",
                List.of(new Variant("a", 60), new Variant("b", 40)), EARLIER);
        var conversion = new ExperimentStore.Conversion("e", "0a1b2c", "u1", "b", "likes", EARLIER);
        Instant keepUntil = EARLIER.plus(Duration.ofDays(30));
        assertEquals(new TableChange.ExposureRecorded("ev", exposure),
                decoder.decode(insert(ExperimentItem.exposure(exposure, keepUntil))));
        assertEquals(new TableChange.ConversionRecorded("ev", conversion),
                decoder.decode(insert(ExperimentItem.conversion(conversion, keepUntil))));
        assertEquals(String.valueOf(keepUntil.getEpochSecond()), ExperimentItem.exposure(exposure, keepUntil).get("ttl").n(),
                "markers expire");
    }

    @Test
    void itemsNothingDerivesFromAreUnrelated() {
        Profile profile = new Profile("u1", "alice", "Alice", "", 0, 0, 0, EARLIER, 1);
        assertEquals(new TableChange.Unrelated("ev"), decoder.decode(new ChangeRecord("ev", "1", ChangeRecord.Kind.MODIFY,
                Map.of(), ProfileItem.toItem(profile), ProfileItem.toItem(profile))), "a profile edit");
        assertEquals(new TableChange.Unrelated("ev"), decoder.decode(insert(FeedItem.entry("u1", "p1", "a", 1))));
        assertEquals(new TableChange.Unrelated("ev"), decoder.decode(insert(Map.of("pk", AttributeValue.fromS("KEEP#1"),
                "sk", AttributeValue.fromS("A")))), "an item of no kind");
    }

    @Test
    void theLayoutIsTheOneTheTableHolds() {
        // Spelled out once, as the stream carries it, so a renamed attribute is a visible change.
        var item = Map.of("pk", AttributeValue.fromS("LIKES#p1#3"), "sk", AttributeValue.fromS("LIKE#fan"),
                "entity", AttributeValue.fromS("like"), "postId", AttributeValue.fromS("p1"),
                "userId", AttributeValue.fromS("fan"));
        assertEquals(new TableChange.LikeAdded("ev", "p1", "fan", NOW), decoder.decode(insert(item)),
                "an item without a time of its own changes now");
    }

    @Test
    void anItemOfAKnownKindWithoutWhatItAlwaysHasIsRefusedByName() {
        var broken = Map.of("entity", AttributeValue.fromS("like"), "userId", AttributeValue.fromS("fan"));
        var error = assertThrows(IllegalArgumentException.class, () -> decoder.decode(insert(broken)));
        assertTrue(error.getMessage().contains("postId"), error.getMessage());
    }
}
