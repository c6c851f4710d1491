package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile uploads through the real pipeline (presigned PUT, post, media worker): decompression
 * bombs (PNG and JPEG headers claiming huge dimensions), truncated files, polyglots, a wrong
 * declared type and a wrong declared size. Each post ends {@code failed} with a reason the author
 * can read, a good photo posted among them becomes ready, and the decoder's memory stays bounded:
 * the same files go through the worker's image processing in a child JVM with a 256 MB heap: what a
 * whole decode of the decode budget (16 MP) and its Lanczos passes need, so no header can claim more.
 */
class HostileUploadsIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(100, 100));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    /** The hostile files by name: each must end its post failed. */
    static Map<String, byte[]> hostileFiles() {
        byte[] jpeg = TestImages.jpeg(64, 48);
        byte[] png = TestImages.png(64, 48, false);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("png-bomb-60000x60000", TestImages.pngBomb(60_000, 60_000));
        files.put("png-bomb-7000x7000-under-the-pixel-limit", TestImages.pngBomb(7_000, 7_000));
        files.put("jpeg-bomb-65000x65000", jpegClaiming(jpeg, 65_000, 65_000));
        files.put("jpeg-bomb-7000x7000-under-the-pixel-limit", jpegClaiming(jpeg, 7_000, 7_000));
        files.put("jpeg-truncated", Arrays.copyOf(TestImages.jpeg(320, 240), TestImages.jpeg(320, 240).length / 3));
        files.put("png-truncated", Arrays.copyOf(TestImages.png(320, 240, false), TestImages.png(320, 240, false).length / 2));
        files.put("jpeg-header-then-html", concat(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0},
                "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.US_ASCII)));
        files.put("zip-then-jpeg", concat(zip(), jpeg));
        files.put("html-declared-as-jpeg", "<!doctype html><p>not a photo</p>".getBytes(StandardCharsets.US_ASCII));
        files.put("png-header-only", Arrays.copyOf(png, 33));
        return files;
    }

    @Test
    void hostileUploadsEndFailedWithAReasonAndAGoodPhotoAmongThemBecomesReady() throws Exception {
        String user = api.newUser("hostile_");
        Map<String, String> postIds = new LinkedHashMap<>();
        for (var file : hostileFiles().entrySet()) {
            String declared = file.getKey().startsWith("png") ? "image/png" : "image/jpeg";
            postIds.put(file.getKey(), api.post(user, api.upload(user, file.getValue(), declared), file.getKey()));
        }
        String good = api.post(user, api.upload(user, TestImages.jpeg(320, 240), "image/jpeg"), "a good one");
        // A polyglot whose image comes first: the renditions are re-encoded from the pixels, so nothing else survives.
        byte[] jpegThenZip = concat(TestImages.jpeg(320, 240), zip(), "<script>x</script>".getBytes(StandardCharsets.US_ASCII));
        String polyglot = api.post(user, api.upload(user, jpegThenZip, "image/jpeg"), "jpeg then zip");

        List<String> outcomes = new ArrayList<>();
        for (var entry : postIds.entrySet()) {
            JsonNode post = settled(user, entry.getValue());
            assertEquals("failed", post.path("status").asText(), entry.getKey() + ": " + post);
            String reason = post.path("failureReason").asText();
            assertFalse(reason.isBlank(), entry.getKey());
            assertFalse(reason.contains("Exception") || reason.contains("at dev."), "a readable reason: " + reason);
            outcomes.add(entry.getKey() + " -> failed: " + reason);
        }
        assertEquals("ready", settled(user, good).path("status").asText());
        assertEquals("ready", settled(user, polyglot).path("status").asText());
        for (S3Object rendition : stack.clients().s3().listObjectsV2Paginator(r -> r.bucket(stack.config().mediaBucket())
                .prefix("media/" + polyglot + "/")).contents()) {
            byte[] bytes = stack.clients().s3().getObjectAsBytes(r -> r.bucket(stack.config().mediaBucket())
                    .key(rendition.key())).asByteArray();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains("PK\u0003\u0004") || text.contains("<script>"), "the polyglot's payload left in " + rendition.key());
        }
        // Every original is deleted once its post is settled (they may carry GPS, or worse).
        assertEquals(0, stack.clients().s3().listObjectsV2(r -> r.bucket(stack.config().uploadsBucket())
                .prefix("uploads/" + LocalJwtIssuer.subjectOf(user) + "/")).keyCount());

        // Declared size: the presigned URL binds the declared length, so other bytes never arrive.
        byte[] photo = TestImages.jpeg(64, 48);
        Reply presigned = api.json("POST", user, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", photo.length / 2));
        int put = api.putBlob(presigned.json(), photo, "image/jpeg");
        assertNotEquals(200, put, "a PUT of more bytes than declared");
        Reply orphan = api.json("POST", user, "/v1/posts", Map.of("uploadId", presigned.json().path("uploadId").asText()));
        assertEquals(409, orphan.status(), orphan.body());
        assertEquals("upload_not_received", orphan.errorCode());
        // Declared type: the presigned URL binds the declared content type too.
        Reply typed = api.json("POST", user, "/v1/uploads", Map.of("contentType", "image/png", "contentLength", photo.length));
        assertNotEquals(200, api.putBlob(typed.json(), photo, "text/html"), "a PUT with another content type than declared");

        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "hostile-uploads.txt"), String.join("\n", outcomes) + "\n");
        System.out.println(String.join("\n", outcomes));
    }

    /**
     * The heap a whole decode of the largest photo decoded at once needs (16 MP, ImageProcessor's decode
     * budget: the raster, the Lanczos passes' buffers, the encoder): measured 198 MB used for a 4600×3470
     * photo at -Xmx256m, while 192 MB ran out. Larger photos are decoded in bands within it; a bomb must
     * never need more. The media worker has 1,769 MB.
     */
    private static final int PROBE_HEAP_MB = 256;

    @Test
    void theDecoderStaysWithinTheHeapItsDecodeBudgetNeedsWhateverTheHeadersClaim() throws Exception {
        Path dir = Files.createTempDirectory("hostile");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + PROBE_HEAP_MB + "m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), HostileImageProbe.class.getName()));
        Map<String, byte[]> files = new LinkedHashMap<>(hostileFiles());
        files.put("good-4000x3000", TestImages.jpeg(4_000, 3_000));
        for (var file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.write(path, file.getValue());
            command.add(path.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process child = builder.start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the probe did not finish");
        assertEquals(0, child.exitValue(), "the probe died (out of memory?):\n" + out);
        for (String name : hostileFiles().keySet()) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(name + ": rejected: ")), name + " not rejected:\n" + out);
        }
        assertTrue(out.lines().anyMatch(l -> l.startsWith("good-4000x3000: processed")), out);
        Files.writeString(Path.of("target", "hostile-uploads-heap.txt"), "child JVM -Xmx" + PROBE_HEAP_MB + "m:\n" + out);
        System.out.println(out);
    }

    private static JsonNode settled(String user, String postId) throws InterruptedException {
        JsonNode[] post = new JsonNode[1];
        ApiClient.await(() -> {
            post[0] = api.get(user, "/v1/posts/" + postId).json();
            return !"processing".equals(post[0].path("status").asText());
        });
        return post[0];
    }

    /** The JPEG with its frame header (SOF0) claiming other dimensions: the data stays that of the small image. */
    static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 9 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && ((out[i + 1] & 0xFF) == 0xC0 || (out[i + 1] & 0xFF) == 0xC2)) {
                ByteBuffer frame = ByteBuffer.wrap(out, i + 5, 4);
                frame.putShort((short) height).putShort((short) width);
                return out;
            }
        }
        throw new IllegalStateException("no frame header");
    }

    /** A small zip archive's local file header and data. */
    private static byte[] zip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("evil.html"));
            zip.write("<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
