package dev.glint.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A small real JPEG (640x480, photo-like), made once: what the load and cost benchmarks upload. */
final class SmallPhoto {

    private static final byte[] JPEG = make();

    private SmallPhoto() {
    }

    static byte[] jpeg() {
        return JPEG.clone();
    }

    private static byte[] make() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(Thumbnails.photo(640, 480, 6), "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
