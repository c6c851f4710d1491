package dev.glint.shared.social;

/**
 * The point of a photo that crops keep, as Mastodon defines it: {@code x} from -1 (left edge) to +1
 * (right edge), {@code y} from -1 (bottom edge) to +1 (top edge); (0, 0) is the centre.
 */
public record FocalPoint(double x, double y) {

    public static final FocalPoint CENTRE = new FocalPoint(0, 0);

    public FocalPoint {
        if (!(x >= -1 && x <= 1) || !(y >= -1 && y <= 1)) {
            throw SocialException.invalid("invalid_focalPoint",
                    "focalPoint x and y must each be from -1 to 1 (x = 1 is the right edge, y = 1 the top; got "
                            + x + ", " + y + ").");
        }
    }

    /** The focal point's column in an image this wide (0 at the left edge). */
    public double column(int width) {
        return (x + 1) / 2 * width;
    }

    /** The focal point's row in an image this high (0 at the top edge). */
    public double row(int height) {
        return (1 - y) / 2 * height;
    }
}
