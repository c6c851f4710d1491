package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Albums end to end: uploads through presigned URLs, a post of three photos with alt texts and a
 * focal point, the media worker's per-photo jobs, the post in the feed, the profile and the tag page,
 * an edit of its caption and alt texts, and its deletion; an album with a photo that cannot be read.
 */
class AlbumsIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Map<String, Object> photo(String uploadId, String altText) {
        return Map.of("uploadId", uploadId, "altText", altText);
    }

    private static JsonNode settled(String user, String postId) throws InterruptedException {
        return api.settled(user, postId, Duration.ofSeconds(60));
    }


    private static HttpResponse<byte[]> fetch(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage image(String url) throws Exception {
        HttpResponse<byte[]> response = fetch(url);
        assertEquals(200, response.statusCode(), url);
        return ImageIO.read(new ByteArrayInputStream(response.body()));
    }

    private static boolean isRed(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 200 && c.getBlue() < 80;
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(item -> out.add(item.path("id").asText()));
        return out;
    }

    private static JsonNode find(JsonNode list, String postId) {
        for (JsonNode item : list.path("items")) {
            if (item.path("id").asText().equals(postId)) {
                return item;
            }
        }
        throw new AssertionError(postId + " is not in " + list);
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        ApiClient.await(condition);
    }

    private static long renditionsOf(String postId) {
        return stack.clients().s3().listObjectsV2(r -> r.bucket(stack.config().mediaBucket()).prefix("media/" + postId + "/"))
                .keyCount();
    }

    @Test
    void anAlbumOfThreeGoesFromUploadThroughTheFeedToDeletion() throws Exception {
        String author = api.newUser("album");
        String reader = api.newUser("reader");
        assertEquals(200, api.send("POST", "/v1/users/" + author + "/follow", reader, null, null).status());
        assertTrue(api.get(reader, "/v1/users/" + author).json().path("followedByMe").asBoolean(), "a follow shows at once");
        assertFalse(api.get(author, "/v1/users/" + reader).json().path("followedByMe").asBoolean());
        assertTrue(api.get(author, "/v1/users/" + author).json().path("followedByMe").isMissingNode(), "not on one's own profile");
        // Three shapes; the wide one (its red quarter at the top left) is cropped around a focal point at its left edge.
        String wide = api.upload(author, TestImages.jpeg(1600, 800), "image/jpeg");
        String tall = api.upload(author, TestImages.jpeg(600, 1200), "image/jpeg");
        String square = api.upload(author, TestImages.png(700, 700, false), "image/png");
        Map<String, Object> first = new java.util.LinkedHashMap<>(photo(wide, "A red block above a blue field"));
        first.put("focalPoint", Map.of("x", -1.0, "y", 0.0));

        Reply created = api.json("POST", author, "/v1/posts", Map.of("caption", "three at #lowtide",
                "photos", List.of(first, photo(tall, "A tall one"), Map.of("uploadId", square))));

        assertEquals(201, created.status(), created.body());
        String postId = created.json().path("id").asText();
        assertEquals("processing", created.json().path("status").asText());
        assertEquals(3, created.json().path("photos").size());
        JsonNode post = settled(author, postId);
        assertEquals("ready", post.path("status").asText(), post.toString());
        JsonNode photos = post.path("photos");
        assertEquals(List.of("A red block above a blue field", "A tall one", ""),
                List.of(photos.get(0).path("altText").asText(), photos.get(1).path("altText").asText(),
                        photos.get(2).path("altText").asText()), "the album keeps its order and alt texts");
        assertEquals(List.of(1600, 600, 700), List.of(photos.get(0).path("width").asInt(), photos.get(1).path("width").asInt(),
                photos.get(2).path("width").asInt()));
        assertEquals(-1.0, photos.get(0).path("focalPoint").path("x").asDouble());
        assertEquals(0.0, photos.get(1).path("focalPoint").path("x").asDouble(), "the default focal point is the centre");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String blurhash = photos.get(i).path("blurhash").asText();
            assertEquals(28, blurhash.length(), "4x3 or 3x4 components: " + blurhash);
            assertEquals(i == 1 ? 'T' : 'L', blurhash.charAt(0), "the blurhash has the photo's own shape, not the square crop's");
            photos.get(i).path("media").fields().forEachRemaining(rendition -> urls.add(rendition.getValue().asText()));
        }
        assertEquals(9, urls.size(), "three renditions of each photo");
        assertEquals(9, urls.stream().distinct().count());
        assertEquals(photos.get(0).path("media"), post.path("media"), "media is the first photo's, as posts of one photo had");
        BufferedImage thumb = image(photos.get(0).path("media").path("thumb").asText());
        assertTrue(isRed(thumb.getRGB(5, 5)) && isRed(thumb.getRGB(140, 5)),
                "the square crop of the wide photo is its left edge, where the focal point is: red across the top");
        BufferedImage tallLarge = image(photos.get(1).path("media").path("w1080").asText());
        assertEquals(600, tallLarge.getWidth(), "never upscaled");
        assertEquals(1200, tallLarge.getHeight());

        JsonNode inFeed = find(api.get(reader, "/v1/feed").json(), postId);
        assertEquals(3, inFeed.path("photos").size(), "the feed shows the album");
        assertEquals("A tall one", inFeed.path("photos").get(1).path("altText").asText());
        assertEquals(3, find(api.get(reader, "/v1/users/" + author + "/posts").json(), postId).path("photos").size());
        await(() -> ids(api.get(reader, "/v1/tags/lowtide/posts").json()).contains(postId));
        assertEquals(3, find(api.get(reader, "/v1/tags/lowtide/posts").json(), postId).path("photos").size());

        // The author edits the caption and one alt text; nobody else can.
        Reply refused = api.json("PATCH", reader, "/v1/posts/" + postId, Map.of("caption", "mine now"));
        assertEquals(403, refused.status(), refused.body());
        Reply wrongCount = api.json("PATCH", author, "/v1/posts/" + postId, Map.of("photos", List.of(Map.of("altText", "x"))));
        assertEquals(400, wrongCount.status(), wrongCount.body());
        assertEquals("invalid_photos", wrongCount.json().path("error").path("code").asText());
        String etag = api.get(author, "/v1/posts/" + postId).raw().headers().firstValue("etag").orElseThrow();
        Reply edited = api.json("PATCH", author, "/v1/posts/" + postId, Map.of("caption", "three at the #pier",
                "photos", List.of(Map.of(), Map.of("altText", "A tall photo: blue below a red block"), Map.of())));
        assertEquals(200, edited.status(), edited.body());
        assertEquals("three at the #pier", edited.json().path("caption").asText());
        assertEquals(List.of("A red block above a blue field", "A tall photo: blue below a red block", ""),
                List.of(edited.json().path("photos").get(0).path("altText").asText(),
                        edited.json().path("photos").get(1).path("altText").asText(),
                        edited.json().path("photos").get(2).path("altText").asText()));
        assertEquals(200, api.getWith(author, "/v1/posts/" + postId, Map.of("If-None-Match", etag)).status(),
                "an edit changes the post's ETag");
        assertEquals("A tall photo: blue below a red block",
                find(api.get(reader, "/v1/feed").json(), postId).path("photos").get(1).path("altText").asText());
        await(() -> ids(api.get(reader, "/v1/tags/pier/posts").json()).contains(postId));
        await(() -> !ids(api.get(reader, "/v1/tags/lowtide/posts").json()).contains(postId));

        for (String url : urls) {
            assertEquals(200, fetch(url).statusCode(), "served while the post exists");
        }
        assertEquals(204, api.delete(author, "/v1/posts/" + postId).status());
        await(() -> urls.stream().allMatch(url -> fetch(url).statusCode() == 404));
        await(() -> renditionsOf(postId) == 0);
        assertEquals(404, api.get(author, "/v1/posts/" + postId).status());
        assertFalse(ids(api.get(reader, "/v1/feed").json()).contains(postId));
    }

    @Test
    void aPhotoThatCannotBeReadFailsTheAlbumWithItsReasonAndNothingOfItStays() throws Exception {
        String author = api.newUser("broken");
        String good = api.upload(author, TestImages.jpeg(800, 600), "image/jpeg");
        String text = api.upload(author, "a text file named like a photo".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        String alsoGood = api.upload(author, TestImages.jpeg(600, 800), "image/jpeg");

        Reply created = api.json("POST", author, "/v1/posts", Map.of("photos",
                List.of(photo(good, "fine"), photo(text, "not a photo"), photo(alsoGood, "fine too"))));
        assertEquals(201, created.status(), created.body());
        String postId = created.json().path("id").asText();

        JsonNode post = settled(author, postId);
        assertEquals("failed", post.path("status").asText());
        assertEquals("Photo 2 of 3: The file is not a JPEG, PNG or WebP image.", post.path("failureReason").asText());
        assertTrue(post.path("photos").get(0).path("media").isMissingNode(), "a failed post shows no renditions");
        await(() -> renditionsOf(postId) == 0);
        await(() -> stack.clients().s3().listObjectsV2(r -> r.bucket(stack.config().uploadsBucket())
                .prefix("uploads/")).contents().stream().noneMatch(o -> o.key().endsWith(good) || o.key().endsWith(text)
                || o.key().endsWith(alsoGood)));
    }

    @Test
    void whatAnAlbumMayHoldIsCheckedBeforeAnythingIsWritten() {
        String author = api.newUser("rules");
        List<Map<String, Object>> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(photo(api.upload(author, TestImages.jpeg(40, 30), "image/jpeg"), ""));
        }
        assertRefused(400, "invalid_photos", api.json("POST", author, "/v1/posts", Map.of("photos", eleven)));
        assertRefused(400, "invalid_photos", api.json("POST", author, "/v1/posts", Map.of("photos", List.of())));
        assertRefused(400, "missing_field", api.json("POST", author, "/v1/posts", Map.of("photos", eleven.subList(0, 1),
                "uploadId", eleven.get(1).get("uploadId"))));
        assertRefused(400, "duplicate_upload", api.json("POST", author, "/v1/posts", Map.of("photos",
                List.of(eleven.get(0), eleven.get(0)))));
        assertRefused(400, "invalid_altText", api.json("POST", author, "/v1/posts", Map.of("photos",
                List.of(eleven.get(0), photo((String) eleven.get(1).get("uploadId"), "x".repeat(1_501))))));
        assertRefused(400, "invalid_focalPoint", api.json("POST", author, "/v1/posts", Map.of("photos",
                List.of(Map.of("uploadId", eleven.get(0).get("uploadId"), "focalPoint", Map.of("x", 0, "y", 1.2))))));
        assertRefused(400, "unknown_field", api.json("POST", author, "/v1/posts", Map.of("photos",
                List.of(Map.of("uploadId", eleven.get(0).get("uploadId"), "alt", "typo")))));
        assertRefused(404, "upload_not_found", api.json("POST", author, "/v1/posts", Map.of("photos",
                List.of(eleven.get(0), photo("01JD3K7W1F6B0Y3N9C2H5Q8R4S", "")))));
        assertEquals(0, api.get(author, "/v1/users/" + author + "/posts").json().path("items").size(), "no post was made");
        // The uploads are still free: the album they make is the first post.
        Reply made = api.json("POST", author, "/v1/posts", Map.of("photos", eleven.subList(0, 10)));
        assertEquals(201, made.status(), made.body());
        assertEquals(10, made.json().path("photos").size());
    }

    private static void assertRefused(int status, String code, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(code, reply.json().path("error").path("code").asText(), reply.body());
        assertFalse(reply.json().path("error").path("message").asText().isBlank());
    }
}
