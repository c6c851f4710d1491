package dev.glint.shared.media;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlurhashTest {

    private static final String DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    private static BufferedImage solid(int w, int h, Color colour) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    @Test
    void aPlainImageIsItsColourWithNoDetail() {
        // The reference encoder's hash of any black image at 4x3 components: size 'L', no AC range, black DC,
        // and eleven zero AC components ("fQ" is 9*19*19 + 9*19 + 9, the quantised zero).
        assertEquals("L00000fQfQfQfQfQfQfQfQfQfQfQ", Blurhash.of(solid(64, 48, Color.BLACK)));
        String grey = Blurhash.of(solid(30, 40, new Color(0x80, 0x80, 0x80)));
        assertEquals(2 + 4 + 2 * 11, grey.length());
        assertEquals('T', grey.charAt(0), "3x4 components for a portrait image: (3-1) + (4-1)*9 = 29");
        assertEquals(0x808080, decode(grey.substring(2, 6)), "the DC term is the colour, through linear light and back");
    }

    @Test
    void aGradientIsCarriedByItsFirstHorizontalComponent() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.WHITE, 64, 0, Color.BLACK));
        g.fillRect(0, 0, 64, 48);
        g.dispose();

        String hash = Blurhash.of(image);

        int quantisedMax = decode(hash.substring(1, 2));
        assertTrue(quantisedMax > 20, "a strong AC range for a full black-to-white ramp: " + quantisedMax);
        int firstAc = decode(hash.substring(6, 8));
        int r = firstAc / (19 * 19);
        assertTrue(r > 14, "bright on the left: the first horizontal cosine is strongly positive (" + r + " of 18)");
        // Components (i, j) are stored row by row, 4 across: the ones with j >= 1 (AC 3 to 10) are vertical
        // detail, and the ramp has none: each is near the quantised zero, 9 of 18 in every channel (the
        // reference's cosines, sampled at y / h, leave a small residue).
        for (int k = 3; k < 11; k++) {
            int ac = decode(hash.substring(6 + 2 * k, 8 + 2 * k));
            for (int channel : new int[] {ac / 361, ac / 19 % 19, ac % 19}) {
                assertTrue(Math.abs(channel - 9) <= 2, "vertical component " + k + " of " + hash + ": " + channel);
            }
        }
    }

    private static int decode(String digits) {
        int value = 0;
        for (char c : digits.toCharArray()) {
            value = value * 83 + DIGITS.indexOf(c);
        }
        return value;
    }
}
