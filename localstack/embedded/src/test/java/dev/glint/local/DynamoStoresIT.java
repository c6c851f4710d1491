package dev.glint.local;

import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoAffinityStore;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.aws.Key;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.feed.AffinityStore;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.reports.RollupStore;
import dev.glint.shared.social.SocialException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table adapters against DynamoDB Local, below the API. */
class DynamoStoresIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;

    private static DynamoProfileStore profiles;
    private static DynamoPostStore posts;

    @BeforeAll
    static void start() throws Exception {
        var dynamo = stack.clients().dynamoDb();
        profiles = new DynamoProfileStore(dynamo, stack.config().table());
        posts = new DynamoPostStore(dynamo, stack.config().table());
    }

    @Test
    void followCountsAreCountedOncePerEventInTransactionsUnderTheItemLimitAndAGoneUserIsSkipped() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        String run = UUID.randomUUID().toString().substring(0, 6);
        int fans = 60;
        for (int i = 0; i < fans; i++) {
            profiles.save(fan(i, run), "fan_" + i + "_" + run, "Fan", "", now);
        }
        // A ring: each follow touches two profiles no other follow touches the same way, so 40 events
        // would need 120 items in one transaction, past DynamoDB's 100: the store must cut them.
        List<RollupStore.Event> events = new ArrayList<>();
        for (int i = 0; i < fans; i++) {
            events.add(follow("follow-" + run + "-" + i, fan(i, run), fan((i + 1) % fans, run)));
        }
        // A follower whose profile is gone: the followee's count still moves, the ghost's is skipped.
        events.add(follow("follow-" + run + "-ghost", "ghost-" + run, fan(0, run)));
        long versionBefore = profiles.find(fan(0, run), true).orElseThrow().version();

        var rollups = new DynamoRollupStore(stack.clients().dynamoDb(), stack.config().table(), java.time.Clock.systemUTC());
        rollups.countAll(events);
        rollups.countAll(events);
        rollups.countAll(events.subList(10, 40));

        for (int i = 0; i < fans; i++) {
            var profile = profiles.find(fan(i, run), true).orElseThrow();
            assertEquals(1, profile.following(), profile.toString());
            assertEquals(i == 0 ? 2 : 1, profile.followers(), profile.toString());
        }
        assertEquals(versionBefore + 3, profiles.find(fan(0, run), true).orElseThrow().version(),
                "every counted change bumps the version once");
        assertEquals(Optional.empty(), profiles.find("ghost-" + run, true), "no profile is made up for a count");
    }

    private static String fan(int i, String run) {
        return "fan-" + i + "-" + run;
    }

    private static RollupStore.Event follow(String eventId, String follower, String followee) {
        return new RollupStore.Event(eventId, "2026-11-22", "10", Map.of(), List.of(
                RollupStore.CounterDelta.of(RollupStore.Subject.USER, follower, "following", 1),
                RollupStore.CounterDelta.of(RollupStore.Subject.USER, followee, "followers", 1)));
    }

    @Test
    void aRenameOntoATakenHandleChangesNothing() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        profiles.save("user-a", "handle_a", "A", "", now);
        profiles.save("user-b", "handle_b", "B", "", now);

        SocialException taken = assertThrows(SocialException.class, () -> profiles.save("user-a", "handle_b", "A2", "", now));

        assertEquals("handle_taken", taken.code());
        assertEquals("handle_a", profiles.find("user-a", true).orElseThrow().handle());
        assertEquals("A", profiles.find("user-a", true).orElseThrow().displayName());
        assertEquals(Optional.of("user-a"), profiles.ownerOf("HANDLE_A"));
        assertEquals(Optional.of("user-b"), profiles.ownerOf("handle_b"));
    }

    @Test
    void findAllReadsMoreThanOneBatchAndSkipsMissingIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            String id = "many-" + i;
            ids.add(id);
            if (i % 10 != 0) {
                profiles.save(id, "many_" + i, "M" + i, "", Instant.parse("2026-11-22T10:00:00Z"));
            }
        }
        assertEquals(117, profiles.findAll(ids).size());
    }

    @Test
    void aPageTokenFromAnotherListIsRefused() {
        PageToken foreign = PageToken.ofParts(Map.of("pk", Keys.authorPostsPartition("someone-else"), "sk", "01JD3X9K2M4N5P6Q7R8S9T0V1W"));
        assertThrows(IllegalArgumentException.class, () -> posts.postIdsByAuthor("me", 10, Optional.of(foreign), false));
        assertThrows(IllegalArgumentException.class, () -> posts.comments("01JD3X9K2M4N5P6Q7R8S9T0V1W", 10, Optional.of(foreign)));
    }

    @Test
    void hashtagsAreCountedOnceInABoundedSketchAndTheDaysCountersStaySmall() throws Exception {
        var rollups = new DynamoRollupStore(stack.clients().dynamoDb(), stack.config().table(), java.time.Clock.systemUTC());
        String day = "2026-10-0" + (1 + (int) (Math.random() * 8));
        List<RollupStore.Event> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Map<String, Long> tags = new java.util.HashMap<>();
            for (int t = 0; t < 30; t++) {
                tags.put("flood" + i + "n" + t + "z".repeat(38), 1L);
            }
            tags.put("sunset", 1L);
            events.add(new RollupStore.Event("tags-" + day + "-" + i, day, "10", Map.of("posts", 1L), tags, List.of(),
                    Optional.empty()));
        }
        // Two stream shards at once, and a replay: each event counted once.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> rollups.countAll(events.subList(0, 60)));
            var second = pool.submit(() -> rollups.countAll(events.subList(60, 120)));
            first.get();
            second.get();
        } finally {
            pool.shutdownNow();
        }
        rollups.countAll(events);

        RollupStore.DayRollup rollup = rollups.days(List.of(day)).get(0);
        assertEquals(120L, rollup.counts().get("posts"));
        assertEquals(120L, rollup.tags().get("sunset"), "the tag every post used is counted exactly, once each");
        assertTrue(rollup.tags().size() <= Keys.ROLLUP_SHARDS * dev.glint.shared.reports.TopTags.CAPACITY);
        long largest = 0;
        for (var item : stack.clients().dynamoDb().query(r -> r.tableName(stack.config().table())
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ROLLUP#" + day)))).items()) {
            long size = item.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().toString().length()).sum();
            largest = Math.max(largest, size);
        }
        assertTrue(largest < 16_000, "every rollup item stays small, whatever the tags: " + largest + " bytes");
    }

    @Test
    void experimentMarkersAndRollupsAreKeptPerRevisionAndExpire() throws Exception {
        var experiments = new DynamoExperimentStore(stack.clients().dynamoDb(), stack.config().table());
        String id = "it-rev-" + UUID.randomUUID().toString().substring(0, 6);
        Instant start = Instant.now().minusSeconds(3600);
        Experiment half = revisionOf(id, 1, 1, start);
        Experiment sixty = revisionOf(id, 60, 40, start);
        Instant keepUntil = half.end().plus(Experiments.MARKER_GRACE);
        // The same user in both revisions: a marker each; a repeat in a revision writes nothing.
        for (Experiment experiment : List.of(half, sixty)) {
            for (int i = 0; i < 10; i++) {
                String variant = i < (experiment == half ? 5 : 6) ? "control" : "treatment";
                assertTrue(experiments.recordExposure(new ExperimentStore.Exposure(id, experiment.revision(), "user-" + i,
                        variant, experiment.variants(), Instant.now()), keepUntil));
            }
        }
        assertFalse(experiments.recordExposure(new ExperimentStore.Exposure(id, half.revision(), "user-0", "control",
                half.variants(), Instant.now()), keepUntil));
        assertTrue(experiments.recordConversion(new ExperimentStore.Conversion(id, sixty.revision(), "user-9", "treatment",
                "likes", Instant.now()), keepUntil));
        Key markerKey = Keys.exposure(id, half.revision(), "user-0");
        var marker = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).key(Map.of(
                "pk", AttributeValue.fromS(markerKey.pk()), "sk", AttributeValue.fromS(markerKey.sk())))).item();
        assertEquals(String.valueOf(keepUntil.getEpochSecond()), marker.get("ttl").n(), "a marker expires after its experiment");

        // The stack's stream processor counts each marker into its revision's rollup.
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<ExperimentStore.RevisionCounts> counts = experiments.counts(id);
        while (System.nanoTime() < deadline && !(counts.size() == 2 && counts.stream().allMatch(c -> exposures(c) == 10)
                && conversions(counts, sixty.revision()) == 1)) {
            Thread.sleep(200);
            counts = experiments.counts(id);
        }
        assertEquals(2, counts.size(), "one rollup per revision: " + counts);
        var byRevision = new java.util.HashMap<String, ExperimentStore.RevisionCounts>();
        counts.forEach(c -> byRevision.put(c.revision(), c));
        assertEquals(half.variants(), byRevision.get(half.revision()).split());
        assertEquals(sixty.variants(), byRevision.get(sixty.revision()).split());
        assertEquals(5L, byRevision.get(half.revision()).counts().get("treatment").get("exposures"));
        assertEquals(List.of("control", "treatment"), List.copyOf(byRevision.get(sixty.revision()).counts().keySet()),
                "variants in declared order");
        assertEquals(1L, conversions(counts, sixty.revision()));

        Experiments.Results results = new Experiments(new ExperimentConfig(List.of(sixty)), experiments,
                java.time.Clock.systemUTC()).results(id);
        assertEquals(sixty.revision(), results.revision());
        assertEquals(6L, results.metrics().get(0).variants().get(0).exposures());
        assertEquals(1, results.earlierRevisions().size());
        assertEquals(Map.of("control", 1, "treatment", 1), results.earlierRevisions().get(0).weights());
    }

    @Test
    void requestGuardrailCountsAddUpAcrossFlushesAndAreReadWithTheVariantsRollup() throws Exception {
        var experiments = new DynamoExperimentStore(stack.clients().dynamoDb(), stack.config().table());
        String id = "it-guard-" + UUID.randomUUID().toString().substring(0, 6);
        Experiment half = revisionOf(id, 1, 1, Instant.now().minusSeconds(3600));
        String latency = dev.glint.shared.experiments.Guardrails.latency(7);
        // Two containers' flushes of the same variant, and one of the other.
        experiments.add(id, half.revision(), "treatment", Map.of("guardrail:requests", 10L, "guardrail:errors", 2L, latency, 10L));
        experiments.add(id, half.revision(), "treatment", Map.of("guardrail:requests", 5L, latency, 5L));
        experiments.add(id, half.revision(), "control", Map.of("guardrail:requests", 4L, latency, 4L));
        // The stream processor's exposure beside them, in the variant's rollup item.
        assertTrue(experiments.recordExposure(new ExperimentStore.Exposure(id, half.revision(), "user-1", "treatment",
                half.variants(), Instant.now()), half.end().plus(Experiments.MARKER_GRACE)));
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<ExperimentStore.RevisionCounts> counts = experiments.counts(id);
        while (System.nanoTime() < deadline && (counts.isEmpty() || exposures(counts.get(0)) < 1)) {
            Thread.sleep(200);
            counts = experiments.counts(id);
        }
        assertEquals(1, counts.size(), counts.toString());
        Map<String, Long> treatment = counts.get(0).counts().get("treatment");
        assertEquals(Map.of("exposures", 1L, "guardrail:requests", 15L, "guardrail:errors", 2L, latency, 15L), treatment);
        assertEquals(Map.of("guardrail:requests", 4L, latency, 4L), counts.get(0).counts().get("control"));
        assertEquals(half.variants(), counts.get(0).split(), "the split still comes from the exposure's rollup");
    }

    private static Experiment revisionOf(String id, int control, int treatment, Instant start) {
        return new Experiment(id, "", Experiment.FEED, List.of(new Variant("control", control),
                new Variant("treatment", treatment)), "control", List.of("likes"), start, start.plusSeconds(86_400), 100);
    }

    private static long exposures(ExperimentStore.RevisionCounts counts) {
        return counts.counts().values().stream().mapToLong(c -> c.getOrDefault("exposures", 0L)).sum();
    }

    private static long conversions(List<ExperimentStore.RevisionCounts> counts, String revision) {
        return counts.stream().filter(c -> c.revision().equals(revision)).flatMap(c -> c.counts().values().stream())
                .mapToLong(c -> c.getOrDefault("conversions:likes", 0L)).sum();
    }

    @Test
    void anOlderInteractionArrivingLaterNeverShortensTheAffinity() {
        var affinity = new DynamoAffinityStore(stack.clients().dynamoDb(), stack.config().table());
        String reader = "reader-" + UUID.randomUUID().toString().substring(0, 6);
        Instant newer = Instant.parse("2026-11-20T10:00:00Z");
        // Another shard's older like is applied after the newer comment, then the comment is replayed.
        Key key = Keys.affinity(reader, "author");
        java.util.function.Supplier<Map<String, AttributeValue>> read = () -> stack.clients().dynamoDb().getItem(r -> r
                .tableName(stack.config().table()).consistentRead(true).key(Map.of(
                        "pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk())))).item();
        affinity.record(List.of(new AffinityStore.Interaction(reader, "author", newer)));
        affinity.record(List.of(new AffinityStore.Interaction(reader, "author", newer.minusSeconds(86_400 * 5))));
        assertEquals(newer.toString(), read.get().get("at").s(), "the older interaction left it alone");
        affinity.record(List.of(new AffinityStore.Interaction(reader, "author", newer)));

        var item = read.get();
        assertEquals(String.valueOf(newer.plus(DynamoAffinityStore.LIFETIME).getEpochSecond()), item.get("ttl").n());
        assertEquals(newer.toString(), item.get("at").s());

        Instant later = newer.plusSeconds(60);
        affinity.record(List.of(new AffinityStore.Interaction(reader, "author", later)));
        assertEquals(later.toString(), read.get().get("at").s(), "a newer interaction moves it");
    }

    @Test
    void aFeedIsTrimmedToItsNewestEntriesAndItsCelebritiesStay() {
        var feeds = new DynamoFeedStore(stack.clients().dynamoDb(), stack.config().table(), java.time.Clock.systemUTC());
        String run = UUID.randomUUID().toString().substring(0, 6);
        String withCelebrities = "trim-a-" + run;
        String without = "trim-b-" + run;
        feeds.followCelebrity(withCelebrities, "star-" + run, Instant.now());
        for (int i = 0; i < 850; i++) {
            feeds.push(String.format("p%s%04d", run, i), "author", List.of(withCelebrities, without));
        }

        feeds.trim(withCelebrities, 800);
        feeds.trim(without, 800);
        feeds.trim(without, 800);

        for (String reader : List.of(withCelebrities, without)) {
            List<String> sks = new ArrayList<>();
            stack.clients().dynamoDb().queryPaginator(r -> r.tableName(stack.config().table()).consistentRead(true)
                            .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                                    AttributeValue.fromS(Keys.feedPartition(reader)))))
                    .items().forEach(item -> sks.add(item.get("sk").s()));
            List<String> entries = sks.stream().filter(sk -> !sk.startsWith("~")).toList();
            assertEquals(800, entries.size(), reader);
            assertEquals(String.format("p%s%04d", run, 50), entries.get(0), "the 50 oldest went");
            assertEquals(reader.equals(withCelebrities), sks.contains("~CELEBRITIES"), "the celebrities item stays");
        }
    }

    @Test
    void aPromotionIsClaimedOnceAndItsEndIsKeptForGood() {
        var feeds = new DynamoFeedStore(stack.clients().dynamoDb(), stack.config().table(), java.time.Clock.systemUTC());
        String author = "promoted-" + UUID.randomUUID().toString().substring(0, 6);
        assertTrue(feeds.startPromotion(author));
        assertFalse(feeds.startPromotion(author), "a second claim while the first holds is refused");
        assertFalse(feeds.promoted(author));

        feeds.markPromoted(author);

        assertTrue(feeds.promoted(author));
        Key key = Keys.celebrityPromoted(author);
        var item = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk())))).item();
        assertFalse(item.containsKey("ttl"), "a done promotion never expires (or every follower would be walked again): " + item);
    }

    /** An album's post with its uploads, made by the store as Publishing makes it. */
    private static dev.glint.shared.social.Post album(String run, int photos) {
        String author = "author-" + run;
        profiles.save(author, "author_" + run, "Author", "", Instant.now());
        List<dev.glint.shared.social.Photo> list = new ArrayList<>();
        for (int i = 0; i < photos; i++) {
            String uploadId = "up" + i + "-" + run;
            posts.createUpload(new dev.glint.shared.social.Upload(uploadId, author, "uploads/" + author + "/" + uploadId,
                    "image/jpeg", 10, Instant.now().plusSeconds(600), null));
            list.add(dev.glint.shared.social.Photo.of(uploadId, "uploads/" + author + "/" + uploadId, "alt " + i, null));
        }
        var post = new dev.glint.shared.social.Post("post-" + run, author, "an album", dev.glint.shared.social.PostStatus.PROCESSING,
                list, Instant.now(), 0, 0, null, 1);
        posts.create(post);
        return post;
    }

    @Test
    void photosOfAnAlbumSavedAtOnceMakeThePostReadyExactlyOnce() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 10; round++) {
                var post = album(UUID.randomUUID().toString().substring(0, 8), 6);
                var start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<dev.glint.shared.social.PostStore.PhotoSaved>> saves = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int index = i;
                    var photo = post.photos().get(i).processed(Map.of("thumb", "media/" + post.id() + "/" + i + "/thumb.jpg"),
                            "L00000fQfQfQfQfQfQfQfQfQfQfQ", 100 + i, 50);
                    saves.add(pool.submit(() -> {
                        start.await();
                        return posts.savePhoto(post, index, photo);
                    }));
                }
                start.countDown();
                List<dev.glint.shared.social.PostStore.PhotoSaved> outcomes = new ArrayList<>();
                for (var save : saves) {
                    outcomes.add(save.get());
                }
                assertEquals(1, outcomes.stream().filter(o -> o == dev.glint.shared.social.PostStore.PhotoSaved.POST_READY).count(),
                        "exactly one save makes the post ready: " + outcomes);
                var saved = posts.find(post.id(), true).orElseThrow();
                assertEquals(dev.glint.shared.social.PostStatus.READY, saved.status());
                for (int i = 0; i < 6; i++) {
                    assertEquals(100 + i, saved.photos().get(i).width(), "photo " + i + " kept its own renditions");
                    assertEquals("alt " + i, saved.photos().get(i).altText());
                }
                assertEquals(dev.glint.shared.social.PostStore.PhotoSaved.NOT_PROCESSING,
                        posts.savePhoto(post, 0, saved.photos().get(0)), "a redelivery to a ready post keeps nothing");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAltTextEditedWhileThePhotosAreProcessedIsKeptAndAFailedPostKeepsNoPhoto() {
        var post = album(UUID.randomUUID().toString().substring(0, 8), 2);
        assertTrue(posts.editText(post, "edited", List.of("first, described", "alt 1")));
        var photo = post.photos().get(0).processed(Map.of("thumb", "k0"), "L00000fQfQfQfQfQfQfQfQfQfQfQ", 10, 10);
        assertEquals(dev.glint.shared.social.PostStore.PhotoSaved.SAVED, posts.savePhoto(post, 0, photo));
        var now = posts.find(post.id(), true).orElseThrow();
        assertEquals("first, described", now.photos().get(0).altText(), "saving a photo writes its media only, never its alt text");
        assertEquals("edited", now.caption());
        assertEquals(dev.glint.shared.social.PostStore.PhotoSaved.NOT_PROCESSING,
                posts.savePhoto(post, 1, post.photos().get(0).processed(Map.of("thumb", "k1"), "x", 1, 1)),
                "a photo is saved only into its own place");
        assertTrue(posts.markFailed(post.id(), "Photo 2 of 2: broken"));
        assertEquals(dev.glint.shared.social.PostStore.PhotoSaved.NOT_PROCESSING,
                posts.savePhoto(post, 1, post.photos().get(1).processed(Map.of("thumb", "k1"), "x", 1, 1)));
        assertFalse(posts.editText(new dev.glint.shared.social.Post("gone-" + post.id(), post.authorId(), "", post.status(),
                post.photos(), post.createdAt(), 0, 0, null, 1), "x", List.of("a", "b")), "no post, no edit");
    }

    @Test
    void aPostWrittenBeforeAlbumsReadsAsOnePhotoAndIsEditedAndMadeReady() {
        String id = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, AttributeValue> item = new java.util.HashMap<>();
        item.put("pk", AttributeValue.fromS("POST#" + id));
        item.put("sk", AttributeValue.fromS("POST"));
        item.put("entity", AttributeValue.fromS("post"));
        item.put("postId", AttributeValue.fromS(id));
        item.put("authorId", AttributeValue.fromS("old-author"));
        item.put("caption", AttributeValue.fromS("from before"));
        item.put("status", AttributeValue.fromS("PROCESSING"));
        item.put("uploadId", AttributeValue.fromS("old-upload"));
        item.put("createdAt", AttributeValue.fromS("2026-11-01T10:00:00Z"));
        item.put("likes", AttributeValue.fromN("0"));
        item.put("comments", AttributeValue.fromN("0"));
        item.put("version", AttributeValue.fromN("1"));
        stack.clients().dynamoDb().putItem(r -> r.tableName(stack.config().table()).item(item));

        var legacy = posts.find(id, true).orElseThrow();
        assertEquals(1, legacy.photos().size());
        assertEquals("old-upload", legacy.uploadId());
        assertTrue(posts.editText(legacy, "from before, edited", List.of("described later")));
        var edited = posts.find(id, true).orElseThrow();
        assertEquals("described later", edited.photos().get(0).altText());
        assertEquals("uploads/old-author/old-upload", edited.photos().get(0).objectKey(), "its list is now like any other");
        assertTrue(posts.editText(edited, "edited twice", List.of("described again")), "and edited again");
        assertEquals(dev.glint.shared.social.PostStore.PhotoSaved.POST_READY, posts.savePhoto(edited, 0,
                edited.photos().get(0).processed(Map.of("thumb", "media/" + id + "/thumb.jpg"), "L00000fQfQfQfQfQfQfQfQfQfQfQ", 8, 8)));
        var ready = posts.find(id, true).orElseThrow();
        assertEquals(dev.glint.shared.social.PostStatus.READY, ready.status());
        assertEquals("media/" + id + "/thumb.jpg", ready.media().get("thumb"));
        assertEquals("described again", ready.photos().get(0).altText());
    }
}
