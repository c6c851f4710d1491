package dev.glint.shared.media;

import dev.glint.shared.social.FocalPoint;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns an uploaded original into JPEG renditions. It trusts nothing the client said: the type
 * comes from the bytes, the size from the header before any pixel is decoded (so a decompression
 * bomb is refused cheaply), the decode is never point-sampled (full resolution, or box-filtered
 * bands above the budget), colour is converted to sRGB, EXIF orientation is applied, renditions are
 * filtered with Lanczos-3 ({@link Resampler}), and the output carries no metadata at all (GPS included).
 */
public final class ImageProcessor {

    /** Originals above this many pixels are refused before decoding. */
    public static final long MAX_PIXELS = 50_000_000L;
    /** Decoded pixels kept in memory at most (a 50 MP image is box-filtered, band by band, to this). */
    static final long DECODE_BUDGET_PIXELS = 16_000_000L;
    /** Pixels per band when a larger image is decoded in bands. */
    static final long BAND_PIXELS = 4_000_000L;
    static final float JPEG_QUALITY = 0.85f;

    /** A rendition: a square crop of {@code size}, or a width (never upscaled). */
    public record Rendition(String name, int size, boolean square) {
    }

    public static final List<Rendition> RENDITIONS = List.of(
            new Rendition("w1080", 1080, false),
            new Rendition("w640", 640, false),
            new Rendition("thumb", 150, true));
    private static final int LARGEST = RENDITIONS.stream().mapToInt(Rendition::size).max().orElseThrow();

    static {
        // Plugins (WebP, a sturdier JPEG reader) are found through the context class loader; Lambda's differs from the system one.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    /** The outcome: renditions (name to JPEG bytes), or why the upload was refused. */
    public sealed interface Result permits Processed, Rejected {
    }

    /** The renditions, the upright original's size, and the BlurHash of the photo at its own aspect ratio. */
    public record Processed(Map<String, byte[]> renditions, int width, int height, String blurhash) implements Result {
    }

    public record Rejected(String reason) implements Result {
    }

    /** The renditions of a photo whose square crop is centred on the middle. */
    public Result process(byte[] original) {
        return process(original, FocalPoint.CENTRE);
    }

    /** The renditions of a photo whose square crop keeps {@code focus} as near its centre as the photo allows. */
    public Result process(byte[] original, FocalPoint focus) {
        if (isHeif(original)) {
            return new Rejected(HEIF_REFUSED);
        }
        String format = sniff(original);
        if (format == null) {
            return new Rejected("The file is not a JPEG, PNG or WebP image.");
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(original))) {
            ImageReader reader = reader(format);
            if (reader == null) {
                return new Rejected("The " + format + " image cannot be read.");
            }
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    return new Rejected("The image has no size.");
                }
                if ((long) width * height > MAX_PIXELS) {
                    return new Rejected("The image is " + width + "x" + height + " pixels; the limit is 50 megapixels.");
                }
                int orientation = format.equals("jpeg") ? Exif.orientation(original) : 1;
                boolean turned = orientation >= 5;
                int uprightWidth = turned ? height : width;
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
                BufferedImage decoded = decode(reader, width, height);
                if (warning.get() != null) {
                    return new Rejected("The image is damaged or truncated.");
                }
                BufferedImage upright = orient(decoded, orientation);
                int uprightHeight = turned ? width : height;
                Made made = renditions(upright, uprightWidth, uprightHeight, focus);
                return new Processed(made.renditions(), uprightWidth, uprightHeight, made.blurhash());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return new Rejected("The image could not be decoded.");
        }
    }

    /**
     * The whole image in sRGB, at full resolution when it fits {@link #DECODE_BUDGET_PIXELS}; a larger
     * one is decoded in bands of rows ({@code setSourceRegion}), each box-filtered by the smallest
     * integer factor that fits, so only one band is ever held at full resolution. Never point-sampled:
     * {@code setSourceSubsampling} keeps every n-th pixel and folds fine detail back as moiré.
     */
    static BufferedImage decode(ImageReader reader, int width, int height) throws IOException {
        int[] k = boxFactors(width, height);
        if (k[0] == 1 && k[1] == 1) {
            return Colour.toSrgb(reader.read(0, reader.getDefaultReadParam()));
        }
        int outWidth = (width + k[0] - 1) / k[0];
        int outHeight = (height + k[1] - 1) / k[1];
        BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] dst = Resampler.pixels(out);
        int bandRows = (int) Math.max(k[1], BAND_PIXELS / width / k[1] * k[1]);
        for (int y = 0; y < height; y += bandRows) {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(new java.awt.Rectangle(0, y, width, Math.min(bandRows, height - y)));
            BufferedImage band = Resampler.box(Colour.toSrgb(reader.read(0, param)), k[0], k[1]);
            int[] src = Resampler.pixels(band);
            int at = (y / k[1]) * outWidth;
            System.arraycopy(src, 0, dst, at, Math.min(src.length, dst.length - at));
        }
        return out;
    }

    /**
     * Box factors (across, down) that bring the image within the decode budget, keeping the width at
     * least the largest rendition's where it can (a tall narrow image is reduced in height only).
     */
    static int[] boxFactors(int width, int height) {
        int k = boxFactor((long) width * height);
        if (k == 1) {
            return new int[] {1, 1};
        }
        int kx = Math.max(1, Math.min(k, width / LARGEST));
        int ky = 1;
        while ((long) ((width + kx - 1) / kx) * ((height + ky - 1) / ky) > DECODE_BUDGET_PIXELS) {
            ky++;
        }
        return new int[] {kx, ky};
    }

    /** The smallest integer box factor that brings the image within the decode budget. */
    static int boxFactor(long pixels) {
        int k = 1;
        while (pixels / ((long) k * k) > DECODE_BUDGET_PIXELS) {
            k++;
        }
        return k;
    }

    /**
     * HEIC/HEIF (and AVIF, the same container): an ISO base media file whose {@code ftyp} box names
     * an image brand. No decoder that fits a Lambda function is on Maven Central (no pure-Java HEVC
     * or AV1 decoder; the libheif bindings ship no natives for both arm64 and x86_64 in the jar), so
     * these are refused with the formats that work.
     */
    static boolean isHeif(byte[] bytes) {
        if (bytes.length < 12 || bytes[4] != 'f' || bytes[5] != 't' || bytes[6] != 'y' || bytes[7] != 'p') {
            return false;
        }
        int boxSize = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
        int end = Math.min(bytes.length, Math.max(16, boxSize));
        // The major brand at 8, then compatible brands from 16 (after the minor version).
        for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) {
            String brand = new String(bytes, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (HEIF_BRANDS.contains(brand)) {
                return true;
            }
        }
        return false;
    }

    static final java.util.Set<String> HEIF_BRANDS = java.util.Set.of(
            "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "avif", "avis");
    static final String HEIF_REFUSED = "HEIC/HEIF and AVIF photos cannot be processed yet: upload a JPEG, PNG or WebP image"
            + " (an iPhone shares photos as JPEG, or saves them so with Settings > Camera > Formats > Most Compatible).";

    /** The real format from the first bytes, or null. */
    static String sniff(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        if (bytes.length >= 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[4] == 0x0D && bytes[5] == 0x0A && bytes[6] == 0x1A && bytes[7] == 0x0A) {
            return "png";
        }
        if (bytes.length >= 12 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F'
                && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
            return "webp";
        }
        return null;
    }

    private static ImageReader reader(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        return readers.hasNext() ? readers.next() : null;
    }

    /**
     * Sizes come from the original's size. The largest rendition is filtered from the decoded image;
     * the smaller ones from it: it is already low-passed at its own Nyquist, so a second Lanczos-3
     * pass costs little and loses little, where a box pre-shrink of the full decode by 3 or 10 folds
     * detail near the source's resolution back into the picture (measured on a zone plate: 34 dB
     * against 41 dB at 640 px wide).
     */
    private Made renditions(BufferedImage upright, int originalWidth, int originalHeight, FocalPoint focus) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        BufferedImage source = upright;
        int sourceWidth = originalWidth;
        int sourceHeight = originalHeight;
        for (Rendition rendition : RENDITIONS) {
            double rx = (double) source.getWidth() / sourceWidth;
            double ry = (double) source.getHeight() / sourceHeight;
            BufferedImage image;
            if (rendition.square()) {
                int side = Math.min(sourceWidth, sourceHeight);
                int x0 = (int) Math.round(cropStart(focus.column(sourceWidth), side, sourceWidth) * rx);
                int y0 = (int) Math.round(cropStart(focus.row(sourceHeight), side, sourceHeight) * ry);
                BufferedImage crop = crop(source, x0, y0, Math.min(source.getWidth() - x0, (int) Math.round(side * rx)),
                        Math.min(source.getHeight() - y0, (int) Math.round(side * ry)));
                int size = Math.min(Math.min(originalWidth, originalHeight), rendition.size());
                image = Resampler.resize(crop, size, size);
            } else {
                int width = Math.min(rendition.size(), originalWidth);
                int height = Math.max(1, (int) Math.round((double) originalHeight * width / originalWidth));
                image = Resampler.resize(source, width, height);
                source = image;
                sourceWidth = width;
                sourceHeight = height;
            }
            out.put(rendition.name(), jpeg(image));
        }
        // From the smallest rendition with the photo's own shape (the square crop leaves it as the source):
        // the placeholder keeps that shape too.
        return new Made(out, Blurhash.of(source));
    }

    /** The renditions made (name to JPEG bytes) and the photo's BlurHash. */
    private record Made(Map<String, byte[]> renditions, String blurhash) {
    }

    /**
     * Where a crop of {@code side} along an edge of {@code length} starts so that its centre is as
     * near {@code focus} as the edge allows.
     */
    static double cropStart(double focus, int side, int length) {
        return Math.max(0, Math.min(length - side, focus - side / 2.0));
    }

    private static BufferedImage crop(BufferedImage src, int x0, int y0, int width, int height) {
        if (x0 == 0 && y0 == 0 && width == src.getWidth() && height == src.getHeight()) {
            return src;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] in = Resampler.pixels(src);
        int[] dst = Resampler.pixels(out);
        for (int y = 0; y < height; y++) {
            System.arraycopy(in, (y0 + y) * src.getWidth() + x0, dst, y * width, width);
        }
        return out;
    }

    /** Applies an EXIF orientation (1-8) so the result is upright. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { }
        }
        boolean turned = orientation >= 5;
        BufferedImage out = new BufferedImage(turned ? h : w, turned ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    /** Baseline JPEG with no metadata segments at all. */
    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
