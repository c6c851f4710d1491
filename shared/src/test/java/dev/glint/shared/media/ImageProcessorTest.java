package dev.glint.shared.media;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageProcessorTest {

    private final ImageProcessor processor = new ImageProcessor();

    private static BufferedImage read(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    private static boolean isRed(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 200 && c.getBlue() < 80;
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i + n.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + n.length, n, 0, n.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aRotatedPhotoComesOutUprightAtEachSizeWithoutAnyMetadata() throws IOException {
        // Stored 4000x3000 with orientation 6: the camera was turned, the photo is 3000 wide and 4000 high.
        byte[] original = TestImages.withExif(TestImages.jpeg(4000, 3000), 6);
        assertTrue(contains(original, "Exif"));

        var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(original));

        assertEquals(3000, result.width());
        assertEquals(4000, result.height());
        BufferedImage large = read(result.renditions().get("w1080"));
        assertEquals(1080, large.getWidth());
        assertEquals(1440, large.getHeight());
        BufferedImage medium = read(result.renditions().get("w640"));
        assertEquals(640, medium.getWidth());
        assertEquals(853, medium.getHeight());
        BufferedImage thumb = read(result.renditions().get("thumb"));
        assertEquals(150, thumb.getWidth());
        assertEquals(150, thumb.getHeight());
        // Rotated 90° clockwise, the red top-left quarter is now the top-right one.
        assertTrue(isRed(medium.getRGB(medium.getWidth() - 20, 20)), "top right is red");
        assertFalse(isRed(medium.getRGB(20, 20)), "top left is not red");
        for (byte[] rendition : result.renditions().values()) {
            assertFalse(contains(rendition, "Exif"), "no EXIF (and so no GPS) in a rendition");
        }
    }

    @Test
    void everyOrientationEndsUpright() throws IOException {
        // Where the red quarter of the stored image lands once upright, per EXIF orientation.
        String[] corner = {null, "TL", "TR", "BR", "BL", "TL", "TR", "BR", "BL"};
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] original = TestImages.withExif(TestImages.jpeg(800, 600), orientation);
            var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(original));
            BufferedImage image = read(result.renditions().get("w640"));
            int w = image.getWidth();
            int h = image.getHeight();
            boolean turned = orientation >= 5;
            assertEquals(turned ? 600 : 640, w > 600 ? 640 : w, "width for orientation " + orientation);
            int x = corner[orientation].endsWith("L") ? 10 : w - 10;
            int y = corner[orientation].startsWith("T") ? 10 : h - 10;
            assertTrue(isRed(image.getRGB(x, y)), "orientation " + orientation + " puts red at " + corner[orientation]);
        }
    }

    @Test
    void smallImagesAreNeverUpscaled() throws IOException {
        var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(TestImages.png(100, 80, true)));
        assertEquals(100, read(result.renditions().get("w1080")).getWidth());
        assertEquals(80, read(result.renditions().get("thumb")).getWidth());
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() {
        var rejected = assertInstanceOf(ImageProcessor.Rejected.class, processor.process(TestImages.pngBomb(100_000, 100_000)));
        assertTrue(rejected.reason().contains("50 megapixels"), rejected.reason());
    }

    @Test
    void aTextFileNamedLikeAPhotoIsRefused() {
        var rejected = assertInstanceOf(ImageProcessor.Rejected.class,
                processor.process("just some text, not a photo".getBytes(StandardCharsets.UTF_8)));
        assertTrue(rejected.reason().contains("not a JPEG, PNG or WebP"), rejected.reason());
    }

    @Test
    void aTruncatedPhotoIsRefused() {
        byte[] whole = TestImages.jpeg(1200, 900);
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        assertInstanceOf(ImageProcessor.Rejected.class, processor.process(truncated));
    }

    @Test
    void largePhotosAreDecodedSubsampled() {
        assertEquals(3, ImageProcessor.subsampling(4000, 12_000_000L));
        assertEquals(1, ImageProcessor.subsampling(1080, 1_166_400L));
        // A 1200x41000 strip: narrow, but its pixels are over the decode budget, so it is subsampled anyway.
        assertEquals(2, ImageProcessor.subsampling(1200, 49_200_000L));
    }
}
