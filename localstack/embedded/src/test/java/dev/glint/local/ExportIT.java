package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.media.TestImages;
import dev.glint.shared.messages.ExportJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/me/export} end to end: a user with an album and a single post, comments and likes both
 * ways, follows both ways, notifications, a block and a mute asks for their data; a second request while
 * the first runs is 409 naming it; the export becomes ready with a notification; its link downloads (with a
 * plain HTTP client, no credentials) a zip whose every file holds what the user has, each photo a JPEG that
 * decodes; another user's read of it is 404; and the job delivered again changes nothing.
 */
class ExportIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    @Test
    void anExportHoldsEverythingOfMineAndRunsOneAtATime() throws Exception {
        HoldArchive hold = new HoldArchive();
        try (EmbeddedStack stack = STACKS.start(options -> options
                .withFunctionInterceptor(GlintResources.MEDIA_WORKER_FUNCTION.name(), hold))) {
            ApiClient api = new ApiClient(stack.apiEndpoint());
            String alice = api.newUser("alice");
            String bob = api.newUser("bob");
            String carol = api.newUser("carol");
            String dave = api.newUser("dave");
            String eve = api.newUser("eve");

            assertEquals(200, api.send("POST", "/v1/users/" + alice + "/follow", bob, null, null).status());
            assertEquals(200, api.send("POST", "/v1/users/" + carol + "/follow", alice, null, null).status());
            String single = api.readyPost(alice, "one photo #export");
            String first = api.upload(alice, TestImages.jpeg(400, 300), "image/jpeg");
            String second = api.upload(alice, TestImages.jpeg(300, 400), "image/jpeg");
            Reply album = api.json("POST", alice, "/v1/posts", Map.of("caption", "an album",
                    "photos", List.of(Map.of("uploadId", first, "altText", "the first"), Map.of("uploadId", second, "altText", "the second"))));
            assertEquals(201, album.status(), album.body());
            String albumId = album.json().path("id").asText();
            ApiClient.await(() -> "ready".equals(api.get(alice, "/v1/posts/" + albumId).json().path("status").asText()));
            String carolPost = api.readyPost(carol, "carol's");
            assertEquals(200, api.send("PUT", "/v1/posts/" + single + "/like", bob, null, null).status());
            assertEquals(201, api.json("POST", bob, "/v1/posts/" + albumId + "/comments", Map.of("text", "nice album")).status());
            assertEquals(200, api.send("PUT", "/v1/posts/" + carolPost + "/like", alice, null, null).status());
            assertEquals(201, api.json("POST", alice, "/v1/posts/" + carolPost + "/comments", Map.of("text", "from alice")).status());
            assertEquals(201, api.json("POST", alice, "/v1/posts/" + single + "/comments", Map.of("text", "on my own")).status());
            assertEquals(200, api.send("PUT", "/v1/users/" + dave + "/block", alice, null, null).status());
            assertEquals(200, api.send("PUT", "/v1/users/" + eve + "/mute", alice, null, null).status());
            ApiClient.await(() -> api.get(alice, "/v1/notifications").json().path("items").size() >= 3);

            // Started, and held before its archive is stored: a second request meanwhile names the running one.
            hold.armed = true;
            Reply started = api.send("POST", "/v1/me/export", alice, null, null);
            assertEquals(202, started.status(), started.body());
            assertEquals("running", started.json().path("status").asText());
            String exportId = started.json().path("id").asText();
            assertTrue(hold.reached.await(60, TimeUnit.SECONDS), "the media worker never got to store the archive");
            Reply again = api.send("POST", "/v1/me/export", alice, null, null);
            assertEquals(409, again.status(), again.body());
            assertEquals("export_running", again.errorCode());
            assertEquals(exportId, again.json().path("error").path("exportId").asText());
            assertEquals("running", api.get(alice, "/v1/me/exports/" + exportId).json().path("status").asText());
            hold.release.countDown();

            ApiClient.await(() -> "ready".equals(api.get(alice, "/v1/me/exports/" + exportId).json().path("status").asText()));
            JsonNode ready = api.get(alice, "/v1/me/exports/" + exportId).json();
            assertEquals(3, ready.path("photos").asInt());
            assertTrue(ready.path("bytes").asLong() > 0);
            assertNotNull(ready.path("expiresAt").asText(null));
            assertEquals(exportId, api.get(alice, "/v1/me/exports").json().path("items").path(0).path("id").asText());

            // Not bob's: his read of it is a missing export, as is an id that is nobody's.
            Reply bobs = api.get(bob, "/v1/me/exports/" + exportId);
            assertEquals(404, bobs.status());
            assertEquals("export_not_found", bobs.errorCode());
            assertEquals(0, api.get(bob, "/v1/me/exports").json().path("items").size());
            assertEquals("export_not_found", api.get(alice, "/v1/me/exports/not-an-id").errorCode());

            // Alice is told, once.
            ApiClient.await(() -> kinds(api.get(alice, "/v1/notifications").json()).contains("export_ready"));
            List<JsonNode> told = new ArrayList<>();
            api.get(alice, "/v1/notifications").json().path("items").forEach(n -> {
                if ("export_ready".equals(n.path("kind").asText())) {
                    told.add(n);
                }
            });
            assertEquals(1, told.size());
            assertEquals(exportId, told.get(0).path("exportId").asText());
            // The notice carries its own short-lived link to the same archive.
            String noticed = told.get(0).path("url").asText("");
            assertTrue(noticed.contains(exportId + ".zip"), "the notice's link: " + told.get(0));
            assertTrue(java.time.Instant.parse(told.get(0).path("urlExpiresAt").asText()).isAfter(java.time.Instant.now()));

            byte[] archive = download(ready.path("url").asText());
            assertArrayEquals(archive, download(noticed), "the notice's link downloads the same archive");
            Map<String, byte[]> files = unzip(archive);
            assertEquals(new TreeSet<>(List.of("README.txt", "profile.json", "posts.json", "comments.json", "likes.json",
                    "follows.json", "notifications.json", "blocks.json", "mutes.json", "photos/" + single + "-1.jpg",
                    "photos/" + albumId + "-1.jpg", "photos/" + albumId + "-2.jpg")), files.keySet());
            assertTrue(text(files, "README.txt").contains("posts.json"));
            assertEquals(alice, json(files, "profile.json").path("handle").asText());

            JsonNode posts = json(files, "posts.json");
            assertEquals(2, posts.size());
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            posts.forEach(p -> byId.put(p.path("id").asText(), p));
            assertEquals("one photo #export", byId.get(single).path("caption").asText());
            JsonNode albumPhotos = byId.get(albumId).path("photos");
            assertEquals(List.of("the first", "the second"), List.of(albumPhotos.path(0).path("altText").asText(),
                    albumPhotos.path(1).path("altText").asText()));
            assertEquals("photos/" + albumId + "-2.jpg", albumPhotos.path(1).path("file").asText());
            assertTrue(byId.get(albumId).hasNonNull("createdAt"));
            for (String name : files.keySet()) {
                if (name.startsWith("photos/")) {
                    BufferedImage image = ImageIO.read(new ByteArrayInputStream(files.get(name)));
                    assertNotNull(image, name + " is not a decodable image");
                    assertEquals((byte) 0xFF, files.get(name)[0], name + " is not a JPEG");
                    assertEquals((byte) 0xD8, files.get(name)[1], name + " is not a JPEG");
                }
            }

            assertEquals(Set.of("from alice", "on my own"), texts(json(files, "comments.json"), "text"));
            assertEquals(Set.of(carolPost), texts(json(files, "likes.json"), "postId"));
            JsonNode follows = json(files, "follows.json");
            assertEquals(Set.of(bob), texts(follows.path("followers"), "handle"));
            assertEquals(Set.of(carol), texts(follows.path("following"), "handle"));
            assertEquals(Set.of(dave), texts(json(files, "blocks.json"), "handle"));
            assertEquals(Set.of(eve), texts(json(files, "mutes.json"), "handle"));
            Set<String> notified = texts(json(files, "notifications.json"), "kind");
            assertTrue(notified.containsAll(Set.of("like", "comment", "follow")), "notifications: " + notified);

            // The job delivered again (as SQS may) finds the export ready and changes nothing.
            StackSnapshot before = StackSnapshot.quiet(stack);
            String queue = stack.queueUrl(GlintResources.MEDIA_QUEUE.logicalName());
            String aliceId = api.get(alice, "/v1/me").json().path("id").asText();
            stack.clients().sqs().sendMessage(r -> r.queueUrl(queue).messageBody(MessageCodec.encode(ExportJob.of(aliceId, exportId))));
            ApiClient.await(() -> stack.clients().sqs().getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings().values()
                    .stream().allMatch("0"::equals));
            StackSnapshot after = StackSnapshot.quiet(stack);
            assertEquals(before, after, before.diff(after));

            // A new export may start once the first is done; retried with its Idempotency-Key, it is the same one.
            Map<String, String> key = Map.of("Idempotency-Key", "export-again-" + alice);
            Reply next = api.sendBytes("POST", "/v1/me/export", alice, null, null, key);
            assertEquals(202, next.status(), next.body());
            Reply retried = api.sendBytes("POST", "/v1/me/export", alice, null, null, key);
            assertEquals(202, retried.status(), retried.body());
            assertEquals(next.json().path("id").asText(), retried.json().path("id").asText());
            assertEquals("true", retried.raw().headers().firstValue("idempotent-replayed").orElse(null));
            assertTrue(!exportId.equals(next.json().path("id").asText()));
        }
    }

    /** Once armed, holds the media worker's first store of an archive until released (at most 60 s). */
    static final class HoldArchive implements ExecutionInterceptor {
        volatile boolean armed;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String called = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (armed && called.equals("S3.PutObject") && context.httpRequest().encodedPath().contains("/exports/")) {
                reached.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    private static String text(Map<String, byte[]> files, String name) {
        assertTrue(files.containsKey(name), name + " is missing");
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    private static JsonNode json(Map<String, byte[]> files, String name) throws Exception {
        return ApiClient.JSON.readTree(text(files, name));
    }

    private static Set<String> texts(JsonNode array, String field) {
        Set<String> out = new TreeSet<>();
        array.forEach(item -> out.add(item.path(field).asText()));
        return out;
    }

    private static Set<String> kinds(JsonNode page) {
        return texts(page.path("items"), "kind");
    }
}
