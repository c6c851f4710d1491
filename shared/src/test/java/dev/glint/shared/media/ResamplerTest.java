package dev.glint.shared.media;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResamplerTest {

    private static final int N = 1024;
    private static final int OUT = 256;

    /** A zone plate: cos(pi r^2 / N), whose local frequency grows from 0 at the centre to 0.5 cycles/pixel at r = N/2. */
    static BufferedImage zonePlate(int n) {
        BufferedImage image = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double dx = x + 0.5 - n / 2.0;
                double dy = y + 0.5 - n / 2.0;
                int v = (int) Math.round(127.5 + 127 * Math.cos(Math.PI * (dx * dx + dy * dy) / n));
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    /** Every k-th pixel: what setSourceSubsampling decodes. */
    static BufferedImage pointSampled(BufferedImage src, int k) {
        BufferedImage out = new BufferedImage(src.getWidth() / k, src.getHeight() / k, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, src.getRGB(x * k, y * k));
            }
        }
        return out;
    }

    /** RMS distance from mid-grey of the pixels whose distance from the centre lies in [from, to). */
    static double rmsInRing(BufferedImage image, double from, double to) {
        double c = image.getWidth() / 2.0;
        double sum = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                double r = Math.hypot(x + 0.5 - c, y + 0.5 - c);
                if (r >= from && r < to) {
                    double d = (image.getRGB(x, y) & 0xFF) - 127.5;
                    sum += d * d;
                    n++;
                }
            }
        }
        return Math.sqrt(sum / n);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) {
                    double d = (p >> s & 0xFF) - (q >> s & 0xFF);
                    sum += d * d;
                }
            }
        }
        double mse = sum / (3.0 * a.getWidth() * a.getHeight());
        return 10 * Math.log10(255 * 255 / mse);
    }

    @Test
    void aZonePlateKeepsItsLowFrequenciesAndLeavesNoAliasAboveTheTargetsNyquist() {
        BufferedImage plate = zonePlate(N);
        // Downscaled 4x, the output's Nyquist (0.5 cycles/output pixel) is 0.125 in the source, at source radius 128,
        // which is output radius 32. Lanczos-3's transition band ends near 1.5 times that (radius 48); beyond it a
        // good low-pass leaves flat grey, and aliasing shows as false rings.
        BufferedImage out = Resampler.resize(plate, OUT, OUT);
        BufferedImage reference = Resampler.lanczos(plate, OUT, OUT);
        BufferedImage aliased = pointSampled(plate, N / OUT);

        assertTrue(rmsInRing(out, 0, 16) > 70, "the low frequencies keep their contrast: RMS " + rmsInRing(out, 0, 16));
        assertTrue(rmsInRing(reference, 48, 128) < 2, "Lanczos alone: no alias energy: RMS " + rmsInRing(reference, 48, 128));
        // The 2x box step before it lets a little of what lies just under the source's Nyquist fold down (its response
        // there is cos(pi f), small but not zero), as vips's shrink does: about a tenth of point sampling's rings.
        double stopband = rmsInRing(out, 48, 128);
        double aliasedStopband = rmsInRing(aliased, 48, 128);
        assertTrue(stopband < 8, "little alias energy above Nyquist: RMS " + stopband);
        // The measure itself sees aliasing: point sampling puts full-contrast false rings there.
        assertTrue(aliasedStopband > 60, "point sampling aliases: RMS " + aliasedStopband);
    }

    @Test
    void shrinkThenReduceStaysCloseToAFullLanczosReference() {
        BufferedImage texture = texture(2400, 1600, 7);
        for (int[] size : new int[][] {{1080, 720}, {640, 427}, {150, 100}}) {
            BufferedImage reference = Resampler.lanczos(texture, size[0], size[1]);
            BufferedImage fast = Resampler.resize(texture, size[0], size[1]);
            BufferedImage aliased = pointSampled(texture, texture.getWidth() / size[0]);
            BufferedImage cropped = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
            cropped.getGraphics().drawImage(aliased, 0, 0, null);

            double fastPsnr = psnr(reference, fast);
            assertTrue(fastPsnr > 32, size[0] + " px: shrink then reduce is " + fastPsnr + " dB from the reference");
            assertTrue(psnr(reference, cropped) < fastPsnr - 6, size[0] + " px: point sampling is far worse");
        }
    }

    @Test
    void theBoxStepLeavesAtLeastTwiceTheTarget() {
        assertEquals(1, Resampler.boxFactor(4000, 3000, 1080, 810));
        assertEquals(3, Resampler.boxFactor(4000, 3000, 640, 480));
        assertEquals(10, Resampler.boxFactor(3000, 3000, 150, 150));
        assertEquals(1, Resampler.boxFactor(200, 200, 150, 150));
    }

    @Test
    void aFlatImageStaysFlatToTheEdges() {
        BufferedImage flat = new BufferedImage(999, 701, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < flat.getHeight(); y++) {
            for (int x = 0; x < flat.getWidth(); x++) {
                flat.setRGB(x, y, 0x336699);
            }
        }
        BufferedImage out = Resampler.resize(flat, 150, 105);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                assertEquals(0x336699, out.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    /** Photo-like fine texture: several octaves of value noise in colour, strongest at the finest scale. */
    static BufferedImage texture(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = Resampler.pixels(image);
        double[] phase = new double[12];
        for (int i = 0; i < phase.length; i++) {
            phase[i] = random.nextDouble() * 2 * Math.PI;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0.5 + 0.2 * Math.sin(x * 0.013 + phase[0]) * Math.cos(y * 0.011 + phase[1])
                        + 0.15 * Math.sin(x * 0.31 + y * 0.17 + phase[2]) + 0.1 * Math.sin(x * 1.9 - y * 0.7 + phase[3]);
                int r = clamp((v + (random.nextDouble() - 0.5) * 0.3) * 255);
                int g = clamp((v * 0.9 + (random.nextDouble() - 0.5) * 0.3) * 255);
                int b = clamp((v * 0.7 + (random.nextDouble() - 0.5) * 0.3) * 255);
                px[y * width + x] = r << 16 | g << 8 | b;
            }
        }
        return image;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
