package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.media.TestImages;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads through presigned URLs, the media queue and worker, renditions in the media bucket. */
class MediaPipelineIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String user() {
        return api.newUser("m");
    }

    /** Uploads the bytes as the declared type and creates a post; returns the post id. */
    private static String post(String user, byte[] bytes, String contentType) throws Exception {
        return post(user, upload(user, bytes, contentType));
    }

    private static String post(String user, String uploadId) {
        return api.post(user, uploadId, "");
    }

    private static String upload(String user, byte[] bytes, String contentType) {
        return api.upload(user, bytes, contentType);
    }

    private static JsonNode settled(String user, String postId) throws InterruptedException {
        return api.settled(user, postId, Duration.ofSeconds(40));
    }


    private static byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    private static int uploadsLeft() {
        return stack.clients().s3().listObjectsV2(r -> r.bucket(stack.config().uploadsBucket())).keyCount();
    }

    @Test
    void aRotatedPhotoWithGpsBecomesReadyWithUprightRenditionsAndNoMetadata() throws Exception {
        String user = user();
        byte[] photo = TestImages.withExif(TestImages.jpeg(4000, 3000), 6);
        String postId = post(user, photo, "image/jpeg");

        JsonNode post = settled(user, postId);

        assertEquals("ready", post.path("status").asText(), post.toString());
        Map<String, int[]> expected = Map.of("thumb", new int[]{150, 150}, "w640", new int[]{640, 853}, "w1080", new int[]{1080, 1440});
        for (var entry : expected.entrySet()) {
            byte[] bytes = fetch(post.path("media").path(entry.getKey()).asText());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertEquals(entry.getValue()[0], image.getWidth(), entry.getKey());
            assertEquals(entry.getValue()[1], image.getHeight(), entry.getKey());
            assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("Exif"), entry.getKey() + " carries no EXIF/GPS");
        }
        assertEquals(0, uploadsLeft(), "the original (with its GPS) is deleted");

        // Rendition URLs are signed anew on every read, yet an unchanged post revalidates to 304.
        Reply again = api.get(user, "/v1/posts/" + postId);
        String etag = again.raw().headers().firstValue("etag").orElseThrow();
        Reply revalidated = api.getWith(user, "/v1/posts/" + postId, Map.of("If-None-Match", etag));
        assertEquals(304, revalidated.status());
    }

    @Test
    void aDuplicateDeliveryChangesNothing() throws Exception {
        String user = user();
        String postId = post(user, TestImages.jpeg(1200, 900), "image/jpeg");
        JsonNode ready = settled(user, postId);

        stack.clients().sqs().sendMessage(r -> r.queueUrl(stack.queueUrl(GlintResources.MEDIA_QUEUE.logicalName()))
                .messageBody(MessageCodec.encode(MediaJob.of(postId, "uploads/gone/" + postId))));
        Thread.sleep(3000);

        JsonNode after = api.get(user, "/v1/posts/" + postId).json();
        assertEquals("ready", after.path("status").asText());
        assertEquals(ready.path("media").size(), after.path("media").size());
        assertEquals(0, stack.clients().sqs().receiveMessage(r -> r.queueUrl(stack.queueUrl(GlintResources.MEDIA_QUEUE.dlqLogicalName())))
                .messages().size());
    }

    @Test
    void hostileUploadsEndFailedWithAReasonAndTheirOriginalsDeleted() throws Exception {
        String user = user();
        byte[] whole = TestImages.jpeg(1600, 1200);
        // All uploads first: S3Proxy's blob store can race a put against the worker's delete of a neighbour.
        String bombUpload = upload(user, TestImages.pngBomb(60_000, 60_000), "image/png");
        String textUpload = upload(user, "this is a text file renamed photo.jpg".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        String truncatedUpload = upload(user, Arrays.copyOf(whole, whole.length / 3), "image/jpeg");
        // An iPhone photo sent as a JPEG by its name: its real type is read from the bytes.
        String heicUpload = upload(user, TestImages.heicHeader(), "image/jpeg");
        String bomb = post(user, bombUpload);
        String text = post(user, textUpload);
        String truncated = post(user, truncatedUpload);
        String heic = post(user, heicUpload);

        JsonNode bombPost = settled(user, bomb);
        assertEquals("failed", bombPost.path("status").asText());
        assertTrue(bombPost.path("failureReason").asText().contains("50 megapixels"), bombPost.toString());
        JsonNode textPost = settled(user, text);
        assertEquals("failed", textPost.path("status").asText());
        assertTrue(textPost.path("failureReason").asText().contains("not a JPEG, PNG or WebP"), textPost.toString());
        assertEquals("failed", settled(user, truncated).path("status").asText());
        JsonNode heicPost = settled(user, heic);
        assertEquals("failed", heicPost.path("status").asText());
        assertTrue(heicPost.path("failureReason").asText().contains("HEIC/HEIF"), heicPost.toString());
        assertTrue(heicPost.path("failureReason").asText().contains("JPEG, PNG or WebP"), heicPost.toString());
        assertEquals(0, uploadsLeft());
    }

    @Test
    void aDeletedPostsPhotoStopsBeingServedWithinSecondsAndItsCommentsAndLikesGo() throws Exception {
        String author = api.newUser("leaver");
        String fan = api.newUser("fan");
        String postId = api.readyPost(author, "soon gone");
        JsonNode media = api.get(author, "/v1/posts/" + postId).json().path("media");
        List<String> urls = new java.util.ArrayList<>();
        media.fields().forEachRemaining(rendition -> urls.add(rendition.getValue().asText()));
        assertEquals(3, urls.size());
        for (String url : urls) {
            assertEquals(200, status(url), "served while the post exists");
        }
        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null).status());
        assertEquals(201, api.json("POST", fan, "/v1/posts/" + postId + "/comments", java.util.Map.of("text", "nice")).status());
        assertEquals(1, locators(postId), "the comment is findable by its id alone");

        long deletedAt = System.nanoTime();
        assertEquals(204, api.delete(author, "/v1/posts/" + postId).status());

        ApiClient.await(() -> urls.stream().allMatch(url -> status(url) == 404));
        System.out.printf("a deleted post's renditions stopped being served %.1f s after the delete%n",
                (System.nanoTime() - deletedAt) / 1e9);
        ApiClient.await(() -> leftovers(postId) == 0);
        assertEquals(0, locators(postId));
    }

    private static long locators(String postId) {
        return stack.clients().dynamoDb().scanPaginator(r -> r.tableName(stack.config().table())).items().stream()
                .filter(item -> item.get("pk").s().startsWith("COMMENTAT#") && item.get("postId").s().equals(postId)).count();
    }

    private static int status(String url) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The table's items that still name the post: its comments, where each comment is, and its likes. */
    private static long leftovers(String postId) {
        return stack.clients().dynamoDb().scanPaginator(r -> r.tableName(stack.config().table())).items().stream()
                .filter(item -> item.get("pk").s().equals("POST#" + postId) || item.get("pk").s().startsWith("LIKES#" + postId + "#")
                        || item.get("pk").s().startsWith("COMMENTAT#") && item.get("postId").s().equals(postId))
                .count();
    }
}
