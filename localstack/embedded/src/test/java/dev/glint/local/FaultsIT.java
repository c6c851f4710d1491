package dev.glint.local;

import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.media.TestImages;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write mix (profiles, posts from real uploads, follows, likes, comments) from several users at
 * once while a share of the functions' DynamoDB, S3 and SQS calls fail and every call is slowed.
 * Clients retry as a real client would: on 5xx and 429 only. Afterwards, read straight from the
 * table: every write the API acknowledged is there, every post is {@code ready} or {@code failed}
 * with a reason, every count is exact, and whatever sits in a dead-letter queue is explained.
 *
 * <p>The fast version runs in {@code ./mvnw verify}; {@code ./glint soak} runs it bigger through
 * the system properties {@code glint.faults.users}, {@code glint.faults.posts}, {@code glint.faults.rate},
 * {@code glint.faults.seed} and {@code glint.faults.settle} (seconds to wait for the stack to settle).
 */
class FaultsIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    private static final int USERS = Integer.getInteger("glint.faults.users", 4);
    private static final int POSTS_EACH = Integer.getInteger("glint.faults.posts", 2);
    private static final double RATE = Double.parseDouble(System.getProperty("glint.faults.rate", "0.05"));
    private static final long SEED = Long.getLong("glint.faults.seed", 9);
    private static final int SETTLE_SECONDS = Integer.getInteger("glint.faults.settle", 90);

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong clientRetries = new AtomicLong();

    /** Acknowledged writes, as the clients saw them. */
    private final Set<String> ackedPosts = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> ackedLikes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> ackedComments = new ConcurrentHashMap<>();
    private final Set<String> ackedFollows = ConcurrentHashMap.newKeySet();

    @Test
    void underFaultsEveryAcknowledgedWriteIsKeptEveryPostSettlesAndCountsAreExact() throws Exception {
        FaultInjector faults = new FaultInjector(RATE, Duration.ofMillis(20), SEED);
        try (EmbeddedStack stack = STACKS.start(options -> options.withWriteLimits(1_000, 1_000)
                .withFaults(faults))) {
            ApiClient api = new ApiClient(stack.apiEndpoint());
            List<String> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String name = "writer" + i + "_" + UUID.randomUUID().toString().substring(0, 4);
                users.add(name);
                api.token(name);
            }
            byte[] photo = TestImages.jpeg(160, 120);

            // Phase 1, everyone at once: a profile, posts, and follows of everyone else.
            runAll(users, user -> {
                ok(api, () -> api.json("PUT", user, "/v1/me", Map.of("handle", user)));
                for (int p = 0; p < POSTS_EACH; p++) {
                    ackedPosts.add(post(api, user, photo, "post " + p + " by " + user + " #faults"));
                }
            });
            runAll(users, user -> {
                for (String other : users) {
                    if (!other.equals(user)) {
                        ok(api, () -> api.send("POST", "/v1/users/" + other + "/follow", user, null, null));
                        ackedFollows.add(user + ">" + other);
                    }
                }
            });
            List<String> posts = new ArrayList<>(ackedPosts);
            // Only its author sees a post before it is ready: the others wait for the media worker (under
            // faults a post may end failed, and no one else ever sees it).
            List<String> readyPosts = awaitProcessed(stack, posts);
            // Phase 2, everyone at once: a like and a comment on every ready post.
            runAll(users, user -> {
                for (String postId : readyPosts) {
                    ok(api, () -> api.send("PUT", "/v1/posts/" + postId + "/like", user, null, null));
                    ackedLikes.computeIfAbsent(postId, k -> ConcurrentHashMap.newKeySet()).add(LocalJwtIssuer.subjectOf(user));
                    Reply comment = ok(api, () -> api.json("POST", user, "/v1/posts/" + postId + "/comments",
                            Map.of("text", "from " + user)));
                    ackedComments.computeIfAbsent(postId, k -> ConcurrentHashMap.newKeySet()).add(comment.json().path("id").asText());
                }
            });

            // Everything settles: media jobs end, the stream processor catches up, queues drain.
            String mediaQueue = stack.queueUrl(GlintResources.MEDIA_QUEUE.logicalName());
            String fanoutQueue = stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName());
            long deadline = System.nanoTime() + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
            // Settled: no post processing, the table unchanged for three looks 1.5 s apart, the work queues empty and
            // the stream consumer caught up. (The table alone is not enough: with many faults a stream batch can wait
            // longer than that between retries, and its counts would be read before they were made.)
            StackSnapshot settled = null;
            int unchanged = 0;
            while (System.nanoTime() < deadline) {
                StackSnapshot now = StackSnapshot.take(stack);
                unchanged = settled(now, posts) && now.equals(settled) && idle(stack) ? unchanged + 1 : 0;
                settled = now;
                if (unchanged >= 3) {
                    break;
                }
                Thread.sleep(1_500);
            }
            assertTrue(settled != null && settled(settled, posts), "the stack did not settle within " + SETTLE_SECONDS + " s");
            Map<String, Map<String, AttributeValue>> items = settled.items();
            // Stream records that still failed after the consumer's retries are parked here (Lambda's on-failure
            // destination) and skipped: a count they carried would be missing, and the message explains why.
            String streamFailures = stack.queueUrl(GlintResources.STREAM_CONSUMER.onFailure().logicalName());
            String parked = stack.clients().sqs().getQueueAttributes(r -> r.queueUrl(streamFailures)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                    .get("ApproximateNumberOfMessages");
            String explained = " (stream records parked on the stream-failures queue: " + parked + ")";

            // Every acknowledged write is present, and counts are exact.
            long checked = 0;
            List<String> failed = new ArrayList<>();
            for (String postId : posts) {
                Map<String, AttributeValue> post = items.get("POST#" + postId + "|POST");
                assertTrue(post != null, "acknowledged post " + postId + " is missing");
                String status = post.get("status").s();
                if (!status.equalsIgnoreCase("ready")) {
                    assertEquals("failed", status.toLowerCase(java.util.Locale.ROOT), postId);
                    assertTrue(post.containsKey("failureReason"), "a failed post names its reason: " + post);
                    failed.add(postId + ": " + post.get("failureReason").s());
                }
                Set<String> likes = ackedLikes.getOrDefault(postId, Set.of());
                for (String liker : likes) {
                    var like = Keys.like(postId, liker);
                    assertTrue(items.containsKey(like.pk() + "|" + like.sk()), "acknowledged like lost");
                }
                // A post's likes are spread over Keys.LIKE_SHARDS partitions, LIKES#<postId>#<shard>.
                long likeItems = items.keySet().stream().filter(k -> k.startsWith("LIKES#" + postId + "#")).count();
                assertEquals(likes.size(), likeItems, "likes of " + postId);
                assertEquals(likes.size(), number(post, "likes"), "the like count of " + postId + explained);
                Set<String> comments = ackedComments.getOrDefault(postId, Set.of());
                long commentItems = items.keySet().stream().filter(k -> k.startsWith("POST#" + postId + "|COMMENT#")).count();
                for (String commentId : comments) {
                    assertTrue(items.keySet().stream().anyMatch(k -> k.startsWith("POST#" + postId + "|COMMENT#")
                            && k.contains(commentId)), "acknowledged comment " + commentId + " lost");
                }
                assertEquals(comments.size(), commentItems, "comments of " + postId + " (none doubled, none lost)");
                assertEquals(comments.size(), number(post, "comments"), "the comment count of " + postId + explained);
                checked += 1 + likes.size() + comments.size();
            }
            for (String user : users) {
                String id = LocalJwtIssuer.subjectOf(user);
                Map<String, AttributeValue> profile = items.get("USER#" + id + "|PROFILE");
                assertTrue(profile != null, "acknowledged profile of " + user + " lost");
                long following = items.keySet().stream().filter(k -> k.startsWith("USER#" + id + "|FOLLOWS#")).count();
                long followers = items.keySet().stream().filter(k -> k.startsWith("FOLLOWERS#" + id + "|")).count();
                assertEquals(USERS - 1, following, "follow edges of " + user);
                assertEquals(USERS - 1, followers, "followers of " + user);
                assertEquals(USERS - 1, number(profile, "following"), "the following count of " + user);
                assertEquals(USERS - 1, number(profile, "followers"), "the followers count of " + user);
                assertEquals(POSTS_EACH, number(profile, "posts"), "the post count of " + user);
                checked += 1 + following;
            }
            assertEquals(USERS * (USERS - 1), ackedFollows.size());

            // Dead-letter queues: each message there is shown, explained and redriven.
            ByteArrayOutputStream shown = new ByteArrayOutputStream();
            Dlq dlq = new Dlq(stack.clients().sqs(), new PrintStream(shown, true, StandardCharsets.UTF_8));
            int dead = dlq.show(mediaQueue, 10) + dlq.show(fanoutQueue, 10);
            int redriven = dead == 0 ? 0 : dlq.redrive(mediaQueue) + dlq.redrive(fanoutQueue);
            assertEquals(dead, redriven, "every dead-lettered message is redrivable");

            String report = "faults: rate " + RATE + ", latency up to 20 ms, seed " + SEED + "; " + USERS + " users, "
                    + posts.size() + " posts\n"
                    + "API requests sent: " + requests.get() + " (client retries on 5xx/429: " + clientRetries.get() + ")\n"
                    + "AWS call attempts by the functions: " + faults.totalAttempts() + ", faults injected: "
                    + faults.totalInjected() + " " + faults.injected() + "\n"
                    + "acknowledged: " + posts.size() + " posts, " + ackedFollows.size() + " follows, "
                    + ackedLikes.values().stream().mapToInt(Set::size).sum() + " likes, "
                    + ackedComments.values().stream().mapToInt(Set::size).sum() + " comments\n"
                    + "items checked: " + checked + ", lost: 0, doubled: 0; posts failed: " + failed.size() + " " + failed + "\n"
                    + "dead-lettered: " + dead + " (redriven: " + redriven + "); stream records parked: " + parked + "\n" + shown.toString(StandardCharsets.UTF_8);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "faults.txt"), report);
            System.out.println(report);
            assertTrue(faults.totalInjected() > 0, "no fault was injected: the test proved nothing");
            assertTrue(failed.isEmpty(), "valid photos ended failed: " + failed);
        }
    }

    /** No change waiting in the stream and no message waiting or in flight on a work queue. */
    private static boolean idle(EmbeddedStack stack) {
        if (!stack.streamCaughtUp()) {
            return false;
        }
        for (var queue : GlintResources.QUEUES) {
            Map<String, String> depth = stack.clients().sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue.logicalName()))
                    .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                            "ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
            if (depth.values().stream().anyMatch(n -> !"0".equals(n))) {
                return false;
            }
        }
        return true;
    }

    private static boolean settled(StackSnapshot snapshot, List<String> posts) {
        for (String postId : posts) {
            Map<String, AttributeValue> post = snapshot.items().get("POST#" + postId + "|POST");
            if (post == null || post.get("status").s().equalsIgnoreCase("processing")) {
                return false;
            }
        }
        return true;
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    /** Uploads a photo and makes a post of it, retrying each step as a client would; returns the post id. */
    private String post(ApiClient api, String user, byte[] photo, String caption) {
        Reply upload = ok(api, () -> api.json("POST", user, "/v1/uploads", Map.of("contentType", "image/jpeg",
                "contentLength", photo.length)));
        for (int attempt = 0; ; attempt++) {
            int status = api.putBlob(upload.json(), photo, "image/jpeg");
            if (status == 200) {
                break;
            }
            assertTrue(status >= 500 && attempt < 8, "the presigned PUT answered " + status);
            clientRetries.incrementAndGet();
            sleep(100L * (attempt + 1));
        }
        // Creating a post from the same upload again returns the same post, so a retry is safe.
        Reply post = ok(api, () -> api.json("POST", user, "/v1/posts", Map.of("uploadId", upload.json().path("uploadId").asText(),
                "caption", caption)));
        return post.json().path("id").asText();
    }

    /** Waits until no post is processing any more; the ready ones. */
    private static List<String> awaitProcessed(EmbeddedStack stack, List<String> posts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
        while (true) {
            List<String> ready = new ArrayList<>();
            int processing = 0;
            for (String postId : posts) {
                String status = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("POST#" + postId), "sk", AttributeValue.fromS("POST"))))
                        .item().get("status").s();
                if (status.equalsIgnoreCase("ready")) {
                    ready.add(postId);
                } else if (status.equalsIgnoreCase("processing")) {
                    processing++;
                }
            }
            if (processing == 0) {
                return ready;
            }
            assertTrue(System.nanoTime() < deadline, processing + " posts still processing after " + SETTLE_SECONDS + " s");
            Thread.sleep(500);
        }
    }

    /** Sends until a non-retryable answer; it must be a 2xx (the acknowledgement the test then holds the stack to). */
    private Reply ok(ApiClient api, Supplier<Reply> call) {
        for (int attempt = 0; ; attempt++) {
            requests.incrementAndGet();
            Reply reply = call.get();
            if (reply.status() < 300) {
                return reply;
            }
            boolean retryable = reply.status() >= 500 || reply.status() == 429;
            assertTrue(retryable && attempt < 10, "gave up after " + (attempt + 1) + " attempts: " + reply.status() + " " + reply.body());
            clientRetries.incrementAndGet();
            long wait = reply.raw().headers().firstValue("retry-after").map(s -> Long.parseLong(s) * 1000).orElse(100L * (attempt + 1));
            sleep(wait);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface UserTask {
        void run(String user) throws Exception;
    }

    private static void runAll(List<String> users, UserTask task) throws Exception {
        ApiClient.forEachUser(users, users.size(), task::run);
    }
}
