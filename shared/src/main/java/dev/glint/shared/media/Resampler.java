package dev.glint.shared.media;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Downscaling that does not alias: an optional integer box pre-reduction ("shrink"), then a
 * separable Lanczos-3 filter ("reduce"), as libvips resizes. Works on sRGB (gamma-encoded) values,
 * as vips and ImageMagick do by default, on {@code TYPE_INT_RGB} images.
 *
 * <p>The box step is cheap (each source pixel is read once) and leaves at least {@link #GAP} times
 * the target size, so the Lanczos pass still sees enough of the spectrum to cut it cleanly at the
 * target's Nyquist frequency; point sampling ({@code setSourceSubsampling}, nearest neighbour) or
 * repeated bilinear halving fold the detail above it back as moiré.
 */
public final class Resampler {

    /** The box pre-reduction leaves the image at least this many times the target size. */
    static final int GAP = 2;
    private static final int LOBES = 3;

    private Resampler() {
    }

    /** Shrink then reduce to exactly {@code width} x {@code height}. */
    public static BufferedImage resize(BufferedImage src, int width, int height) {
        int k = boxFactor(src.getWidth(), src.getHeight(), width, height);
        // The box image's last column and row may be partial: scale by the exact source size, not the rounded one.
        return lanczos(box(src, k), width, height, (double) src.getWidth() / k / width, (double) src.getHeight() / k / height);
    }

    /** The integer box factor that keeps at least {@link #GAP} times the target in both directions. */
    static int boxFactor(int srcWidth, int srcHeight, int width, int height) {
        return Math.max(1, Math.min(srcWidth / (GAP * width), srcHeight / (GAP * height)));
    }

    /** Averages each k x k block (a partial block at the right or bottom edge averages what it has). */
    public static BufferedImage box(BufferedImage src, int k) {
        return box(src, k, k);
    }

    /** Averages each kx x ky block. */
    public static BufferedImage box(BufferedImage src, int kx, int ky) {
        if (kx <= 1 && ky <= 1) {
            return src;
        }
        int sw = src.getWidth();
        int sh = src.getHeight();
        int[] in = pixels(src);
        int w = (sw + kx - 1) / kx;
        int h = (sh + ky - 1) / ky;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = pixels(out);
        int[] r = new int[w];
        int[] g = new int[w];
        int[] b = new int[w];
        for (int oy = 0; oy < h; oy++) {
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(g, 0);
            java.util.Arrays.fill(b, 0);
            int y0 = oy * ky;
            int y1 = Math.min(sh, y0 + ky);
            for (int y = y0; y < y1; y++) {
                int row = y * sw;
                for (int x = 0; x < sw; x++) {
                    int p = in[row + x];
                    int ox = x / kx;
                    r[ox] += p >> 16 & 0xFF;
                    g[ox] += p >> 8 & 0xFF;
                    b[ox] += p & 0xFF;
                }
            }
            int rows = y1 - y0;
            for (int ox = 0; ox < w; ox++) {
                int n = rows * (Math.min(sw, ox * kx + kx) - ox * kx);
                int half = n / 2;
                dst[oy * w + ox] = ((r[ox] + half) / n) << 16 | ((g[ox] + half) / n) << 8 | (b[ox] + half) / n;
            }
        }
        return out;
    }

    /** Separable Lanczos-3, horizontal then vertical, with edge pixels repeated. */
    public static BufferedImage lanczos(BufferedImage src, int width, int height) {
        return lanczos(src, width, height, (double) src.getWidth() / width, (double) src.getHeight() / height);
    }

    private static BufferedImage lanczos(BufferedImage src, int width, int height, double scaleX, double scaleY) {
        int sw = src.getWidth();
        int sh = src.getHeight();
        if (sw == width && sh == height) {
            return src;
        }
        int[] in = pixels(src);
        Filter fx = Filter.of(scaleX, width);
        Filter fy = Filter.of(scaleY, height);
        // Horizontal pass into planes of width x sh.
        float[] pr = new float[width * sh];
        float[] pg = new float[width * sh];
        float[] pb = new float[width * sh];
        // Each row is unpacked into planes padded with its edge pixels, so the inner loop never clamps an index.
        int pad = fx.taps;
        float[] rr = new float[sw + 2 * pad];
        float[] rg = new float[sw + 2 * pad];
        float[] rb = new float[sw + 2 * pad];
        for (int y = 0; y < sh; y++) {
            int row = y * sw;
            for (int x = 0; x < sw; x++) {
                int p = in[row + x];
                rr[pad + x] = p >> 16 & 0xFF;
                rg[pad + x] = p >> 8 & 0xFF;
                rb[pad + x] = p & 0xFF;
            }
            java.util.Arrays.fill(rr, 0, pad, rr[pad]);
            java.util.Arrays.fill(rg, 0, pad, rg[pad]);
            java.util.Arrays.fill(rb, 0, pad, rb[pad]);
            java.util.Arrays.fill(rr, pad + sw, sw + 2 * pad, rr[pad + sw - 1]);
            java.util.Arrays.fill(rg, pad + sw, sw + 2 * pad, rg[pad + sw - 1]);
            java.util.Arrays.fill(rb, pad + sw, sw + 2 * pad, rb[pad + sw - 1]);
            int o = y * width;
            for (int x = 0; x < width; x++) {
                int at = fx.start[x] + pad;
                int base = x * fx.taps;
                float sr = 0;
                float sg = 0;
                float sb = 0;
                for (int t = 0; t < fx.taps; t++) {
                    float wgt = fx.weights[base + t];
                    sr += wgt * rr[at + t];
                    sg += wgt * rg[at + t];
                    sb += wgt * rb[at + t];
                }
                pr[o + x] = sr;
                pg[o + x] = sg;
                pb[o + x] = sb;
            }
        }
        // Vertical pass, row by row of the output, accumulating whole rows (cache friendly).
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] dst = pixels(out);
        float[] ar = new float[width];
        float[] ag = new float[width];
        float[] ab = new float[width];
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(ar, 0);
            java.util.Arrays.fill(ag, 0);
            java.util.Arrays.fill(ab, 0);
            int start = fy.start[y];
            int base = y * fy.taps;
            for (int t = 0; t < fy.taps; t++) {
                float wgt = fy.weights[base + t];
                if (wgt == 0) {
                    continue;
                }
                int i = start + t;
                int row = (i < 0 ? 0 : (i >= sh ? sh - 1 : i)) * width;
                for (int x = 0; x < width; x++) {
                    ar[x] += wgt * pr[row + x];
                    ag[x] += wgt * pg[row + x];
                    ab[x] += wgt * pb[row + x];
                }
            }
            int o = y * width;
            for (int x = 0; x < width; x++) {
                dst[o + x] = clamp(ar[x]) << 16 | clamp(ag[x]) << 8 | clamp(ab[x]);
            }
        }
        return out;
    }

    private static int clamp(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : (i > 255 ? 255 : i);
    }

    static int[] pixels(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected TYPE_INT_RGB, got type " + image.getType());
        }
        if (image.getRaster().getParent() != null || image.getRaster().getMinX() != 0 || image.getRaster().getMinY() != 0
                || image.getRaster().getWidth() != image.getWidth()) {
            throw new IllegalArgumentException("expected a whole image, not a sub-image");
        }
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /** Lanczos-3 weights for each output position, normalized to sum to one. */
    record Filter(int taps, int[] start, float[] weights) {
        static Filter of(double scale, int out) {
            double support = LOBES * Math.max(1.0, scale);
            double stretch = Math.max(1.0, scale);
            int taps = (int) Math.ceil(2 * support) + 1;
            int[] start = new int[out];
            float[] weights = new float[out * taps];
            for (int o = 0; o < out; o++) {
                double center = (o + 0.5) * scale - 0.5;
                int first = (int) Math.floor(center - support) + 1;
                start[o] = first;
                double sum = 0;
                for (int t = 0; t < taps; t++) {
                    double w = kernel((first + t - center) / stretch);
                    weights[o * taps + t] = (float) w;
                    sum += w;
                }
                for (int t = 0; t < taps; t++) {
                    weights[o * taps + t] = (float) (weights[o * taps + t] / sum);
                }
            }
            return new Filter(taps, start, weights);
        }

        static double kernel(double x) {
            x = Math.abs(x);
            if (x < 1e-9) {
                return 1;
            }
            if (x >= LOBES) {
                return 0;
            }
            double px = Math.PI * x;
            return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
        }
    }
}
