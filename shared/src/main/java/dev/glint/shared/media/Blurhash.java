package dev.glint.shared.media;

import java.awt.image.BufferedImage;

/**
 * The BlurHash of an image (the algorithm of github.com/woltapp/blurhash): a few DCT components of
 * the picture in linear light, quantised into a short base-83 string a client decodes into a
 * blurred placeholder before the photo itself loads. Computed from a rendition with the photo's own
 * aspect ratio, with 4 components across its long side and 3 across its short one.
 */
public final class Blurhash {

    private static final String DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
    private static final double[] TO_LINEAR = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            double c = v / 255.0;
            TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
    }

    private Blurhash() {
    }

    /** The hash of this image: 4x3 components when it is wider than high, 3x4 otherwise. */
    public static String of(BufferedImage image) {
        boolean wide = image.getWidth() >= image.getHeight();
        return encode(image, wide ? 4 : 3, wide ? 3 : 4);
    }

    /** The hash with {@code cx} components across and {@code cy} down (1-9 each). */
    public static String encode(BufferedImage image, int cx, int cy) {
        if (cx < 1 || cx > 9 || cy < 1 || cy > 9) {
            throw new IllegalArgumentException("blurhash components are 1-9 each");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // The raster's own array when it is one (a rendition is): getRGB converts pixel by pixel, 20x slower under C1.
        int[] rgb = image.getType() == BufferedImage.TYPE_INT_RGB && image.getRaster().getParent() == null
                ? Resampler.pixels(image) : image.getRGB(0, 0, w, h, null, 0, w);
        double[][] cosX = new double[cx][w];
        double[][] cosY = new double[cy][h];
        for (int i = 0; i < cx; i++) {
            for (int x = 0; x < w; x++) {
                cosX[i][x] = Math.cos(Math.PI * i * x / w);
            }
        }
        for (int j = 0; j < cy; j++) {
            for (int y = 0; y < h; y++) {
                cosY[j][y] = Math.cos(Math.PI * j * y / h);
            }
        }
        double[][] factors = new double[cx * cy][3];
        double[] rowR = new double[cx];
        double[] rowG = new double[cx];
        double[] rowB = new double[cx];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(rowR, 0);
            java.util.Arrays.fill(rowG, 0);
            java.util.Arrays.fill(rowB, 0);
            for (int x = 0; x < w; x++) {
                int p = rgb[y * w + x];
                double r = TO_LINEAR[(p >> 16) & 0xFF];
                double g = TO_LINEAR[(p >> 8) & 0xFF];
                double b = TO_LINEAR[p & 0xFF];
                for (int i = 0; i < cx; i++) {
                    double c = cosX[i][x];
                    rowR[i] += c * r;
                    rowG[i] += c * g;
                    rowB[i] += c * b;
                }
            }
            for (int j = 0; j < cy; j++) {
                double c = cosY[j][y];
                for (int i = 0; i < cx; i++) {
                    double[] f = factors[j * cx + i];
                    f[0] += c * rowR[i];
                    f[1] += c * rowG[i];
                    f[2] += c * rowB[i];
                }
            }
        }
        for (int k = 0; k < factors.length; k++) {
            double scale = (k == 0 ? 1.0 : 2.0) / ((double) w * h);
            for (int c = 0; c < 3; c++) {
                factors[k][c] *= scale;
            }
        }
        StringBuilder hash = new StringBuilder();
        digits(hash, (cx - 1) + (cy - 1) * 9, 1);
        double maxValue;
        if (factors.length > 1) {
            double actualMax = 0;
            for (int k = 1; k < factors.length; k++) {
                for (int c = 0; c < 3; c++) {
                    actualMax = Math.max(actualMax, Math.abs(factors[k][c]));
                }
            }
            int quantisedMax = (int) Math.max(0, Math.min(82, Math.floor(actualMax * 166 - 0.5)));
            maxValue = (quantisedMax + 1) / 166.0;
            digits(hash, quantisedMax, 1);
        } else {
            maxValue = 1;
            digits(hash, 0, 1);
        }
        double[] dc = factors[0];
        digits(hash, (toSrgb(dc[0]) << 16) + (toSrgb(dc[1]) << 8) + toSrgb(dc[2]), 4);
        for (int k = 1; k < factors.length; k++) {
            double[] f = factors[k];
            digits(hash, quantise(f[0], maxValue) * 19 * 19 + quantise(f[1], maxValue) * 19 + quantise(f[2], maxValue), 2);
        }
        return hash.toString();
    }

    private static int quantise(double value, double maxValue) {
        double v = value / maxValue;
        return (int) Math.max(0, Math.min(18, Math.floor(Math.copySign(Math.sqrt(Math.abs(v)), v) * 9 + 9.5)));
    }

    /** Linear light back to an sRGB byte, as the reference encoder rounds it. */
    static int toSrgb(double linear) {
        double v = Math.max(0, Math.min(1, linear));
        return v <= 0.0031308 ? (int) (v * 12.92 * 255 + 0.5) : (int) ((1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    private static void digits(StringBuilder out, int value, int length) {
        for (int i = 1; i <= length; i++) {
            int digit = (int) (value / Math.pow(83, length - i)) % 83;
            out.append(DIGITS.charAt(digit));
        }
    }
}
