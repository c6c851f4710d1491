package dev.glint.shared.media;

import dev.glint.shared.social.FocalPoint;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void largePhotosAreDecodedWholeOrBoxFilteredInBandsWithinTheBudget() {
        assertEquals(1, ImageProcessor.boxFactor(12_000_000L));
        assertEquals(1, ImageProcessor.boxFactor(16_000_000L));
        assertEquals(2, ImageProcessor.boxFactor(49_200_000L));
        // A 12000x1500 panorama keeps more than 1080 px across; a 1500x12000 strip loses height only.
        assertArrayEquals(new int[] {2, 1}, ImageProcessor.boxFactors(12000, 1500));
        assertArrayEquals(new int[] {1, 2}, ImageProcessor.boxFactors(1500, 12000));
        assertArrayEquals(new int[] {1, 1}, ImageProcessor.boxFactors(4000, 3000));
        assertArrayEquals(new int[] {2, 2}, ImageProcessor.boxFactors(8000, 6000));
    }

    @Test
    void aTallPhotoOverTheDecodeBudgetIsDecodedInBandsAndKeepsItsLayout() throws IOException {
        // 1500x12000 = 18 MP: over the 16 MP budget, so decoded in bands, each box-filtered by 2 down the image.
        byte[] original = TestImages.jpeg(1500, 12000);

        var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(original));

        assertEquals(1500, result.width());
        assertEquals(12000, result.height());
        BufferedImage large = read(result.renditions().get("w1080"));
        assertEquals(1080, large.getWidth());
        assertEquals(8640, large.getHeight());
        assertTrue(isRed(large.getRGB(100, 100)), "top left red");
        assertFalse(isRed(large.getRGB(100, 8540)), "bottom left blue");
        assertFalse(isRed(large.getRGB(980, 100)), "top right blue");
        // The band seam nearest the red/blue edge (row 6000 of 12000) leaves no gap: the edge is where it was.
        assertTrue(isRed(large.getRGB(100, 4300)), "just above the middle still red");
        assertFalse(isRed(large.getRGB(100, 4340)), "just below the middle blue");
    }

    @Test
    void aDisplayP3PhotoIsConvertedToSrgbBeforeItsProfileIsDropped() throws IOException {
        // P3 (200, 60, 60): in sRGB about (218, 42, 40); read as if it were sRGB it would come out duller.
        Color p3 = new Color(200, 60, 60);
        byte[] original = TestImages.displayP3Jpeg(800, 600, p3);
        assertTrue(contains(original, "ICC_PROFILE"));
        int[] expected = p3ToSrgb(p3);

        var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(original));

        byte[] rendition = result.renditions().get("w640");
        assertFalse(contains(rendition, "ICC_PROFILE"), "no profile left in the rendition");
        Color out = new Color(read(rendition).getRGB(320, 240));
        int[] got = {out.getRed(), out.getGreen(), out.getBlue()};
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(got[c] - expected[c]) <= 4,
                    "channel " + c + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(got));
        }
        assertTrue(Math.abs(got[0] - p3.getRed()) > 10, "the red moved off its P3 value");
    }

    /** Display P3 to sRGB by the published matrix between the two (both D65) and the sRGB tone curve. */
    private static int[] p3ToSrgb(Color c) {
        double[] lin = {linear(c.getRed()), linear(c.getGreen()), linear(c.getBlue())};
        double[][] m = {{1.2249, -0.2247, 0.0}, {-0.0420, 1.0419, 0.0}, {-0.0197, -0.0786, 1.0979}};
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            double v = Math.max(0, Math.min(1, m[i][0] * lin[0] + m[i][1] * lin[1] + m[i][2] * lin[2]));
            double e = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
            out[i] = (int) Math.round(e * 255);
        }
        return out;
    }

    private static double linear(int v) {
        double e = v / 255.0;
        return e <= 0.04045 ? e / 12.92 : Math.pow((e + 0.055) / 1.055, 2.4);
    }

    @Test
    void anIphoneHeicPhotoIsRefusedNamingTheFormatsThatWork() {
        var rejected = assertInstanceOf(ImageProcessor.Rejected.class, processor.process(TestImages.heicHeader()));

        assertTrue(rejected.reason().contains("HEIC"), rejected.reason());
        assertTrue(rejected.reason().contains("JPEG, PNG or WebP"), rejected.reason());
    }

    @Test
    void theSquareCropKeepsTheFocalPoint() throws IOException {
        // 400x200: the red quarter is x < 200, y < 100.
        byte[] wide = TestImages.jpeg(400, 200);
        BufferedImage centre = thumb(wide, FocalPoint.CENTRE);
        assertTrue(isRed(centre.getRGB(5, 5)), "centred: x 100-300, red at its top left");
        assertFalse(isRed(centre.getRGB(144, 5)), "centred: blue at its top right");
        BufferedImage left = thumb(wide, new FocalPoint(-1, 0));
        assertTrue(isRed(left.getRGB(5, 5)) && isRed(left.getRGB(144, 5)), "x = -1: the left edge, x 0-200, red across the top");
        BufferedImage right = thumb(wide, new FocalPoint(0.6, 0.3));
        assertFalse(isRed(right.getRGB(5, 5)), "x = 0.6 clamps to the right edge, x 200-400: no red");
        // 200x400: the red quarter is x < 100, y < 200.
        byte[] tall = TestImages.jpeg(200, 400);
        BufferedImage top = thumb(tall, new FocalPoint(0, 1));
        assertTrue(isRed(top.getRGB(5, 5)) && isRed(top.getRGB(5, 144)), "y = 1: the top edge, y 0-200, red down the left");
        BufferedImage bottom = thumb(tall, new FocalPoint(0, -0.9));
        assertFalse(isRed(bottom.getRGB(5, 5)), "y = -0.9 clamps to the bottom edge: no red");
    }

    @Test
    void theBlurhashIsOfThePhotosOwnShape() {
        var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(TestImages.jpeg(400, 200),
                new FocalPoint(1, 1)));
        assertEquals('L', result.blurhash().charAt(0), "4x3 components for a landscape photo, not the square crop's 4x4");
        assertEquals(28, result.blurhash().length());
        assertEquals(result.blurhash(), assertInstanceOf(ImageProcessor.Processed.class,
                processor.process(TestImages.jpeg(400, 200))).blurhash(), "the focal point moves the crop, not the placeholder");
    }

    private BufferedImage thumb(byte[] original, FocalPoint focus) throws IOException {
        var result = assertInstanceOf(ImageProcessor.Processed.class, processor.process(original, focus));
        return read(result.renditions().get("thumb"));
    }
}
