package dev.glint.shared.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;

/**
 * Brings a decoded image into opaque sRGB. The renditions carry no metadata, so no ICC profile: a
 * photo tagged with another profile (Display P3 from phones, Adobe RGB from cameras) is converted to
 * sRGB first, or a browser would show its values as if they were sRGB (dull, shifted reds and greens).
 */
final class Colour {

    private Colour() {
    }

    static BufferedImage toSrgb(BufferedImage image) {
        ColorSpace space = image.getColorModel().getColorSpace();
        if (image.getType() == BufferedImage.TYPE_INT_RGB && space.isCS_sRGB()) {
            return image;
        }
        BufferedImage source = image;
        if (space instanceof ICC_ColorSpace && !space.isCS_sRGB() && space.getType() != ColorSpace.TYPE_GRAY) {
            // A colour-managed conversion (the JDK's LittleCMS), relative colorimetric: out-of-gamut colours are clipped.
            BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(),
                    image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            new ColorConvertOp(null).filter(image, converted);
            if (!converted.getColorModel().hasAlpha()) {
                return converted;
            }
            source = converted;
        }
        // JPEG has no transparency: flatten onto white.
        BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, source.getWidth(), source.getHeight());
        g.drawImage(source, 0, 0, null);
        g.dispose();
        return rgb;
    }
}
