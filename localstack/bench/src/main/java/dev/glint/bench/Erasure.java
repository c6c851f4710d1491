package dev.glint.bench;

import dev.glint.local.EmbeddedStack;
import dev.glint.shared.aws.DynamoAccountErasure;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.social.FocalPoint;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Upload;
import dev.glint.shared.resources.GlintResources;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./glint bench erasure}: how long {@code DELETE /v1/me} takes to erase a user with 1,000 posts (three
 * renditions each) and 10,000 followers ({@code --quick}: 20 posts, 200 followers), and what it costs: the
 * media worker's DynamoDB, S3 and SQS requests while it erases, and its pages. The data is written straight
 * through the stores (the same items the API would write) so the set-up takes minutes, not hours; the stream
 * processor counts it before the clock starts. No reference to compare with: the figures are per post and
 * per follower, so a change to a step shows as a change per unit. {@code -Dglint.bench.erasure.posts=} and
 * {@code -Dglint.bench.erasure.followers=} set other sizes.
 */
final class Erasure {

    private Erasure() {
    }

    static Report run(Bench.Settings settings) throws Exception {
        // -Dglint.bench.erasure.posts= and .followers= (in GLINT_JAVA_OPTS) size a run in between.
        int posts = Integer.getInteger("glint.bench.erasure.posts", settings.quick() ? 20 : 1_000);
        int followers = Integer.getInteger("glint.bench.erasure.followers", settings.quick() ? 200 : 10_000);
        RequestCounter worker = new RequestCounter();
        Report report = new Report("erasure", "Erasing an account (DELETE /v1/me until the tombstone says finished)",
                List.of("posts", "followers", "seconds", "pages", "DynamoDB requests", "by operation", "S3 requests",
                        "per post + follower"));
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults().withGatewayPort(0)
                .withPrefix("bench-erasure-" + UUID.randomUUID().toString().substring(0, 8)).withVisibilityTimeout(30)
                .withWriteLimits(1_000, 1_000)
                .withFunctionInterceptor(GlintResources.MEDIA_WORKER_FUNCTION.name(), worker))) {
            BenchClient api = new BenchClient(stack.apiEndpoint(), 4);
            String user = "erased" + UUID.randomUUID().toString().substring(0, 6);
            String userId = api.signUp(user);
            long seeding = System.nanoTime();
            seed(stack, userId, posts, followers);
            awaitCounted(stack, api, user, posts, followers);
            double seedSeconds = (System.nanoTime() - seeding) / 1e9;

            worker.reset();
            long started = System.nanoTime();
            BenchClient.Reply deleted = api.json("DELETE", user, "/v1/me", null);
            if (deleted.status() != 202) {
                throw new IllegalStateException("DELETE /v1/me answered " + deleted.status() + ": " + deleted.body());
            }
            var tombstone = Keys.erasure(DynamoAccountErasure.digest(userId));
            long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
            while (true) {
                var item = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                        .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(tombstone.pk()),
                                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(tombstone.sk())))).item();
                if (item.containsKey("finishedAt")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the erasure did not finish within 60 minutes");
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Long> requests = worker.snapshot();
            long dynamo = worker.total("DynamoDb");
            long s3 = worker.total("S3");
            long pages = requests.getOrDefault("Sqs.SendMessage", 0L) + 1;
            Map<String, Long> byOperation = new LinkedHashMap<>();
            requests.forEach((k, v) -> {
                if (k.startsWith("DynamoDb.")) {
                    byOperation.put(k.substring("DynamoDb.".length()), v);
                }
            });
            String per = Report.fixed((double) (dynamo + s3) / (posts + followers), 2);
            report.row(List.of(Integer.toString(posts), Integer.toString(followers), Report.fixed(seconds, 1),
                            Long.toString(pages), Long.toString(dynamo), byOperation.toString(), Long.toString(s3), per),
                    Map.of("posts", posts, "followers", followers, "seconds", seconds, "pages", pages,
                            "dynamoDbRequests", dynamo, "dynamoDbByOperation", byOperation, "s3Requests", s3,
                            "requestsPerPostAndFollower", (double) (dynamo + s3) / (posts + followers)));
            report.detail("seedSeconds", seedSeconds);
            report.check("the erasure finishes", true, Report.fixed(seconds, 1) + " s");
            long left = stack.clients().dynamoDb().query(r -> r.tableName(stack.config().table())
                    .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(Keys.followersPartition(userId)))))
                    .count();
            report.check("no follower entry left", left == 0, left + " left");
            report.note("Media worker requests while it erased (retries included), measured with an SDK interceptor; "
                    + "the stream processor's count corrections are not included. Seeding took " + Report.fixed(seedSeconds, 0) + " s.");
        }
        return report;
    }

    /** The user's followers (profiles and follows) and posts (an upload, the post, three small renditions each). */
    private static void seed(EmbeddedStack stack, String userId, int posts, int followers) throws Exception {
        var dynamo = stack.clients().dynamoDb();
        String table = stack.config().table();
        var profiles = new DynamoProfileStore(dynamo, table);
        var follows = new DynamoFollowStore(dynamo, table);
        var postStore = new DynamoPostStore(dynamo, table);
        var s3 = stack.clients().s3();
        Ids ids = Ids.system();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < followers; i++) {
                String follower = "fan-" + i + "-" + userId.substring(0, 8);
                work.add(pool.submit(() -> {
                    profiles.save(follower, "f" + follower.replace("-", ""), "Fan", "", Instant.now());
                    follows.follow(follower, userId, ids.next(), Instant.now());
                    return null;
                }));
            }
            for (int i = 0; i < posts; i++) {
                work.add(pool.submit(() -> {
                    String uploadId = ids.next();
                    String postId = ids.next();
                    String object = Keys.uploadObject(userId, uploadId);
                    postStore.createUpload(new Upload(uploadId, userId, object, "image/jpeg", 100,
                            Instant.now().plus(Duration.ofMinutes(5)), null));
                    Map<String, String> media = new LinkedHashMap<>();
                    for (String name : List.of("thumb", "w640", "w1080")) {
                        String key = Keys.rendition(postId, 0, name);
                        s3.putObject(r -> r.bucket(stack.config().mediaBucket()).key(key), RequestBody.fromBytes(new byte[64]));
                        media.put(name, key);
                    }
                    postStore.create(new Post(postId, userId, "erasure bench #bench", PostStatus.READY,
                            List.of(new Photo(uploadId, object, "a photo", FocalPoint.CENTRE, media, null, 640, 480)),
                            Instant.now(), 0, 0, null, 1));
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the stream processor has counted the seeded followers and posts on the profile. */
    private static void awaitCounted(EmbeddedStack stack, BenchClient api, String user, int posts, int followers)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            var me = api.get(user, "/v1/me").json();
            if (me != null && me.path("followers").asLong() >= followers && me.path("posts").asLong() >= posts) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("the stream processor did not count the seeded data within 30 minutes");
    }
}
