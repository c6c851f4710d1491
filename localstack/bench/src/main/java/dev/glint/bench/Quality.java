package dev.glint.bench;

import dev.glint.shared.media.ImageProcessor;
import dev.glint.shared.media.Resampler;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * How faithful a rendition is: PSNR and SSIM against a reference made the slow, careful way (the
 * full-resolution decode, one separable Lanczos-3 pass, no shrink), and the fine-detail images that
 * show aliasing (a zone plate, fine text, a photo-like texture), made here, deterministically.
 */
final class Quality {

    private Quality() {
    }

    /** PSNR and SSIM of one rendition; null when the tool's output is missing or of another size. */
    record Score(double psnr, double ssim, String note) {
    }

    /** The references for every rendition of one source image. */
    static Map<String, BufferedImage> references(Path source) throws IOException {
        BufferedImage full = rgb(ImageIO.read(source.toFile()));
        Map<String, BufferedImage> refs = new LinkedHashMap<>();
        for (ImageProcessor.Rendition r : ImageProcessor.RENDITIONS) {
            if (r.square()) {
                int side = Math.min(full.getWidth(), full.getHeight());
                BufferedImage crop = rgb(full.getSubimage((full.getWidth() - side) / 2, (full.getHeight() - side) / 2, side, side));
                refs.put(r.name(), Resampler.lanczos(crop, r.size(), r.size()));
            } else {
                int height = (int) Math.round((double) full.getHeight() * r.size() / full.getWidth());
                refs.put(r.name(), Resampler.lanczos(full, r.size(), height));
            }
        }
        return refs;
    }

    static Score score(BufferedImage reference, Path rendition) throws IOException {
        if (!Files.isRegularFile(rendition)) {
            return new Score(Double.NaN, Double.NaN, "no output");
        }
        BufferedImage image = rgb(ImageIO.read(rendition.toFile()));
        if (image.getWidth() != reference.getWidth() || image.getHeight() != reference.getHeight()) {
            return new Score(Double.NaN, Double.NaN, image.getWidth() + "x" + image.getHeight() + ", reference "
                    + reference.getWidth() + "x" + reference.getHeight());
        }
        return new Score(psnr(reference, image), ssim(reference, image), null);
    }

    /** PSNR over R, G and B together, peak 255. */
    static double psnr(BufferedImage a, BufferedImage b) {
        int[] p = pixels(a);
        int[] q = pixels(b);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                double d = (p[i] >> s & 0xFF) - (q[i] >> s & 0xFF);
                sum += d * d;
            }
        }
        double mse = sum / (3.0 * p.length);
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }

    /**
     * Mean SSIM (Wang, Bovik, Sheikh and Simoncelli 2004) on luma (BT.601), over 8x8 windows every 4
     * pixels, with K1 = 0.01, K2 = 0.03 and L = 255: the usual constants, uniform windows instead of
     * the 11x11 Gaussian (a little lower on noisy images, the same ordering).
     */
    static double ssim(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        double[] x = luma(a);
        double[] y = luma(b);
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double total = 0;
        int windows = 0;
        int n = 8;
        for (int wy = 0; wy + n <= h; wy += 4) {
            for (int wx = 0; wx + n <= w; wx += 4) {
                double sx = 0;
                double sy = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int j = 0; j < n; j++) {
                    int row = (wy + j) * w + wx;
                    for (int i = 0; i < n; i++) {
                        double u = x[row + i];
                        double v = y[row + i];
                        sx += u;
                        sy += v;
                        sxx += u * u;
                        syy += v * v;
                        sxy += u * v;
                    }
                }
                double count = n * n;
                double mx = sx / count;
                double my = sy / count;
                double vx = sxx / count - mx * mx;
                double vy = syy / count - my * my;
                double cov = sxy / count - mx * my;
                total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                windows++;
            }
        }
        return total / windows;
    }

    private static double[] luma(BufferedImage image) {
        int[] p = pixels(image);
        double[] y = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            y[i] = 0.299 * (p[i] >> 16 & 0xFF) + 0.587 * (p[i] >> 8 & 0xFF) + 0.114 * (p[i] & 0xFF);
        }
        return y;
    }

    private static int[] pixels(BufferedImage image) {
        return rgb(image).getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** A whole TYPE_INT_RGB copy (decoders return other layouts; sub-images share their parent's raster). */
    static BufferedImage rgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB && image.getRaster().getParent() == null) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    /** A zone plate whose local frequency grows from 0 at the centre to 0.5 cycles/pixel in the corners. */
    static BufferedImage zonePlate(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double corner = Math.hypot(width / 2.0, height / 2.0);
        double n = 2 * corner;
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            double dy = y + 0.5 - height / 2.0;
            for (int x = 0; x < width; x++) {
                double dx = x + 0.5 - width / 2.0;
                int v = (int) Math.round(127.5 + 127 * Math.cos(Math.PI * (dx * dx + dy * dy) / n));
                row[x] = v << 16 | v << 8 | v;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** Lines of small black text on white, 7 to 14 px high, as in a photo of a page or a sign. */
    static BufferedImage fineText(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        String text = "The quick brown fox jumps over the lazy dog 0123456789 Glint renditions; ";
        Random random = new Random(7);
        int y = 0;
        while (y < height) {
            int size = 7 + random.nextInt(8);
            g.setFont(new Font(Font.SANS_SERIF, random.nextBoolean() ? Font.PLAIN : Font.BOLD, size));
            y += size + 2;
            StringBuilder line = new StringBuilder();
            while (line.length() * size / 2 < width + 200) {
                line.append(text);
            }
            g.drawString(line.toString(), -random.nextInt(100), y);
        }
        g.dispose();
        return image;
    }

    /**
     * A photo-like texture (fabric, foliage): colour from a few slow waves, woven fine stripes near the
     * source's resolution, and per-pixel grain, so most of its detail lies above every rendition's Nyquist.
     */
    static BufferedImage texture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double base = 0.5 + 0.2 * Math.sin(x * 0.0021 + 1) * Math.cos(y * 0.0017);
                double weave = 0.12 * Math.sin(x * 0.9 + y * 0.35) + 0.08 * Math.sin(x * 0.21 - y * 1.7);
                double grain = (random.nextDouble() - 0.5) * 0.25;
                double v = base + weave + grain;
                int r = clamp(255 * (v * 0.95 + 0.05 * Math.sin(y * 0.004)));
                int gr = clamp(255 * (v * 0.8 + 0.1));
                int b = clamp(255 * (v * 0.55));
                row[x] = r << 16 | gr << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
