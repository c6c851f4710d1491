package dev.glint.shared.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
 * bomb is refused cheaply), decoding subsamples when the renditions are much smaller than the
 * original, EXIF orientation is applied, and the output carries no metadata at all (GPS included).
 */
public final class ImageProcessor {

    /** Originals above this many pixels are refused before decoding. */
    public static final long MAX_PIXELS = 50_000_000L;
    /** Decoded pixels kept in memory at most (a tall 50 MP image is subsampled to this). */
    static final long DECODE_BUDGET_PIXELS = 16_000_000L;
    static final float JPEG_QUALITY = 0.85f;

    /** A rendition: a square crop of {@code size}, or a width (never upscaled). */
    public record Rendition(String name, int size, boolean square) {
    }

    public static final List<Rendition> RENDITIONS = List.of(
            new Rendition("w1080", 1080, false),
            new Rendition("w640", 640, false),
            new Rendition("thumb", 150, true));

    static {
        // Plugins (WebP, a sturdier JPEG reader) are found through the context class loader; Lambda's differs from the system one.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    /** The outcome: renditions (name to JPEG bytes), or why the upload was refused. */
    public sealed interface Result permits Processed, Rejected {
    }

    public record Processed(Map<String, byte[]> renditions, int width, int height) implements Result {
    }

    public record Rejected(String reason) implements Result {
    }

    public Result process(byte[] original) {
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
                int step = subsampling(uprightWidth, (long) width * height);
                ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
                BufferedImage decoded = reader.read(0, param);
                if (warning.get() != null) {
                    return new Rejected("The image is damaged or truncated.");
                }
                BufferedImage upright = orient(opaque(decoded), orientation);
                return new Processed(renditions(upright), uprightWidth, turned ? width : height);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return new Rejected("The image could not be decoded.");
        }
    }

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

    /** Decode every step-th pixel: enough for the largest rendition, and within the decode budget. */
    static int subsampling(int uprightWidth, long pixels) {
        int largest = RENDITIONS.stream().mapToInt(Rendition::size).max().orElseThrow();
        int step = Math.max(1, uprightWidth / largest);
        while ((pixels / ((long) step * step)) > DECODE_BUDGET_PIXELS) {
            step++;
        }
        return step;
    }

    private static ImageReader reader(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        return readers.hasNext() ? readers.next() : null;
    }

    private Map<String, byte[]> renditions(BufferedImage upright) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        BufferedImage source = upright;
        for (Rendition rendition : RENDITIONS) {
            BufferedImage image;
            if (rendition.square()) {
                int side = Math.min(source.getWidth(), source.getHeight());
                BufferedImage crop = source.getSubimage((source.getWidth() - side) / 2, (source.getHeight() - side) / 2, side, side);
                image = scale(crop, Math.min(side, rendition.size()), Math.min(side, rendition.size()));
            } else {
                int width = Math.min(rendition.size(), upright.getWidth());
                int height = Math.max(1, (int) Math.round((double) upright.getHeight() * width / upright.getWidth()));
                // Each smaller rendition scales from the previous one: less work, same result.
                image = scale(source, width, height);
                source = image;
            }
            out.put(rendition.name(), jpeg(image));
        }
        return out;
    }

    /** Halves with bilinear filtering until close, then one last bilinear step: good quality, little work. */
    static BufferedImage scale(BufferedImage src, int width, int height) {
        BufferedImage current = src;
        int w = src.getWidth();
        int h = src.getHeight();
        do {
            w = Math.max(width, w / 2 >= width ? w / 2 : width);
            h = Math.max(height, h / 2 >= height ? h / 2 : height);
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(current, 0, 0, w, h, null);
            g.dispose();
            current = next;
        } while (w != width || h != height);
        return current;
    }

    /** JPEG has no transparency: flatten onto white in RGB. */
    private static BufferedImage opaque(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
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
