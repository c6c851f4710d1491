package dev.glint.local;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local stack runs in a child process on a data folder; the test SIGKILLs it in the middle of
 * a media job (renditions written, the post not yet marked ready) and again in the middle of a
 * fan-out to 120 followers (two pages, some feeds written), restarts it on the same folder each
 * time, and checks the work completes: the post ready once with its three renditions, its
 * original deleted, exactly one feed entry per follower, and counts unchanged.
 */
class CrashIT {

    /** Two fan-out pages (100 a page) by default; {@code -Dglint.crash.followers=} for more. */
    private static final int FOLLOWERS = Integer.getInteger("glint.crash.followers", 120);

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    private StackExtension.ChildStack child;
    private AwsClients clients;
    private GlintConfig config;

    @Test
    void killedInTheMiddleOfAMediaJobAndOfAFanOutTheStackFinishesTheWorkOnRestart(@TempDir Path data) throws Exception {
        try {
            int port = freePort();
            ApiClient api = start(data, port, "media");
            String author = "crash_author";
            api.signUp(author, author);
            List<String> followers = new ArrayList<>();
            for (int i = 0; i < FOLLOWERS; i++) {
                followers.add("crash_fan" + i);
            }
            parallel(followers, fan -> {
                api.signUp(fan, fan);
                assertEquals(200, api.send("POST", "/v1/users/" + author + "/follow", fan, null, null).status());
            });
            String authorId = LocalJwtIssuer.subjectOf(author);
            // Follower counts are kept by the stream processor: they settle a moment later.
            ApiClient.await(() -> number(item("USER#" + authorId, "PROFILE"), "followers") == FOLLOWERS);

            // 1. A media job: kill once a rendition is written and the post is still processing.
            String postId = api.post(author, api.upload(author, TestImages.jpeg(1600, 1200), "image/jpeg"), "crash test");
            assertEquals("media", child.awaitPause(60));
            String statusAtKill = item("POST#" + postId, "POST").get("status").s();
            int renditionsAtKill = renditions(postId);
            kill();
            assertEquals("PROCESSING", statusAtKill, "killed in the middle of the media job");

            // 2. Restart: the job comes back, the post becomes ready; then kill in the middle of the fan-out.
            start(data, port, "fanout");
            assertEquals("fanout", child.awaitPause(60));
            int feedAtKill = feedEntries(postId);
            kill();
            assertTrue(feedAtKill > 1, "followers' feeds were being written: " + feedAtKill);
            assertTrue(feedAtKill < FOLLOWERS + 1, "killed in the middle of the fan-out: " + feedAtKill + " feeds written");

            // 3. Restart: the fan-out resumes and completes, nothing doubled or missed.
            ApiClient last = start(data, port, "none");
            awaitFast(() -> feedEntries(postId) == FOLLOWERS + 1, "every feed written");
            Map<String, AttributeValue> post = item("POST#" + postId, "POST");
            assertEquals("READY", post.get("status").s());
            assertEquals(3, renditions(postId), "three renditions, once each");
            assertEquals(0, clients.s3().listObjectsV2(r -> r.bucket(config.uploadsBucket()).prefix("uploads/" + authorId + "/")).keyCount(),
                    "the original is deleted");
            for (String fan : List.of(followers.get(0), followers.get(FOLLOWERS / 2), followers.get(FOLLOWERS - 1))) {
                var feed = last.get(fan, "/v1/feed").json().path("items");
                assertEquals(1, feed.size(), fan + "'s feed: " + feed);
                assertEquals(postId, feed.path(0).path("id").asText());
            }
            // Counted once each by the stream processor, which resumes from its checkpoint after the kills.
            ApiClient.await(() -> number(item("USER#" + authorId, "PROFILE"), "posts") == 1);
            Map<String, AttributeValue> profile = item("USER#" + authorId, "PROFILE");
            assertEquals(FOLLOWERS, number(profile, "followers"));
            assertEquals(1, number(profile, "posts"));
            kill();
            String report = "crashes: SIGKILL in a media job (post " + statusAtKill + ", " + renditionsAtKill + " of 3 renditions written) "
                    + "and in a fan-out to " + FOLLOWERS + " followers (" + feedAtKill + " of " + (FOLLOWERS + 1) + " feeds written); "
                    + "after restarts: ready, 3 renditions, original deleted, " + (FOLLOWERS + 1) + " feed entries, lost 0, doubled 0\n";
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "crashes.txt"), report);
            System.out.println(report);
        } finally {
            if (child != null) {
                child.kill();
            }
        }
    }

    private ApiClient start(Path data, int port, String pause) throws Exception {
        child = STACKS.startInChildJvm(data, port, pause);
        config = child.config();
        clients = child.clients();
        return child.api();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or checkpointed on the way out. */
    private void kill() throws InterruptedException {
        child.kill();
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return clients.dynamoDb().getItem(r -> r.tableName(config.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    private int renditions(String postId) {
        return clients.s3().listObjectsV2(r -> r.bucket(config.mediaBucket()).prefix("media/" + postId + "/")).keyCount();
    }

    /** Feed entries of the post, over every feed (a scan: the table is small). */
    private int feedEntries(String postId) {
        int[] count = {0};
        clients.dynamoDb().scanPaginator(r -> r.tableName(config.table()).consistentRead(true)
                .filterExpression("begins_with(pk, :feed) AND sk = :post")
                .expressionAttributeValues(Map.of(":feed", AttributeValue.fromS("FEED#"), ":post", AttributeValue.fromS(postId))))
                .forEach(page -> count[0] += page.count());
        return count[0];
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        return item.get(attribute) == null ? 0 : Long.parseLong(item.get(attribute).n());
    }

    private static void awaitFast(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never: " + what);
            Thread.sleep(20);
        }
    }

    private interface Task {
        void run(String user) throws Exception;
    }

    private static void parallel(List<String> users, Task task) throws Exception {
        ApiClient.forEachUser(users, 8, task::run);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
