package dev.glint.shared.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real image files made in memory: photos with EXIF orientation and GPS, bombs, damaged files. */
public final class TestImages {

    private TestImages() {
    }

    /** A JPEG whose top-left quarter is red and the rest blue. */
    public static byte[] jpeg(int width, int height) {
        return encode(quartered(width, height, BufferedImage.TYPE_INT_RGB), "jpg");
    }

    public static byte[] png(int width, int height, boolean alpha) {
        return encode(quartered(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB), "png");
    }

    private static BufferedImage quartered(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height / 2);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Inserts an EXIF segment with the orientation and a GPS latitude right after the JPEG's SOI marker. */
    public static byte[] withExif(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(64);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        tiff.putInt(0);
        byte[] tiffBytes = java.util.Arrays.copyOf(tiff.array(), tiff.position());
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiffBytes.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(header).put(tiffBytes);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** A PNG that declares width×height pixels in its header but carries almost no data: a decompression bomb's header. */
    public static byte[] pngBomb(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[]{0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer length = ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(length.array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A JPEG of one flat colour whose values are Display P3, with the Display P3 ICC profile embedded (APP2). */
    public static byte[] displayP3Jpeg(int width, int height, Color p3) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(p3);
        g.fillRect(0, 0, width, height);
        g.dispose();
        byte[] jpeg = encode(image, "jpg");
        byte[] profile = displayP3Profile();
        byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + id.length + 2 + profile.length;
        ByteBuffer segment = ByteBuffer.allocate(2 + length);
        segment.put((byte) 0xFF).put((byte) 0xE2).putShort((short) length).put(id).put((byte) 1).put((byte) 1).put(profile);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(segment.array(), 0, segment.capacity());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * An ICC v2 matrix/TRC profile for Display P3: DCI-P3 primaries, D65 white, the sRGB tone curve
     * (as Apple defines it); colorants adapted to the D50 connection space with Bradford, as in
     * Apple's own profile.
     */
    public static byte[] displayP3Profile() {
        byte[] desc = descTag("Display P3 (test)");
        byte[] wtpt = xyzTag(0.9642, 1.0, 0.8249);
        byte[] r = xyzTag(0.5151, 0.2412, -0.0011);
        byte[] gr = xyzTag(0.2920, 0.6922, 0.0419);
        byte[] b = xyzTag(0.1571, 0.0666, 0.7841);
        ByteBuffer curve = ByteBuffer.allocate(12 + 2 * 1024);
        curve.put("curv".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(1024);
        for (int i = 0; i < 1024; i++) {
            double v = i / 1023.0;
            double linear = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
            curve.putShort((short) Math.round(linear * 65535));
        }
        byte[] trc = curve.array();
        String[] sigs = {"desc", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"};
        byte[][] data = {desc, wtpt, r, gr, b, trc, trc, trc};
        int tableEnd = 128 + 4 + 12 * sigs.length;
        int[] offsets = new int[sigs.length];
        int at = tableEnd;
        for (int i = 0; i < sigs.length; i++) {
            if (i > 5) {
                offsets[i] = offsets[5];
                continue;
            }
            offsets[i] = at;
            at += (data[i].length + 3) / 4 * 4;
        }
        ByteBuffer p = ByteBuffer.allocate(at);
        p.putInt(at).putInt(0).putInt(0x02100000);
        p.put("mntrRGB XYZ ".getBytes(StandardCharsets.ISO_8859_1));
        p.putShort((short) 2026).putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        p.put("acsp".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(0).putInt(0).putInt(0).putLong(0).putInt(0);
        p.putInt(s15(0.9642)).putInt(s15(1.0)).putInt(s15(0.8249));
        p.position(128);
        p.putInt(sigs.length);
        for (int i = 0; i < sigs.length; i++) {
            p.put(sigs[i].getBytes(StandardCharsets.ISO_8859_1)).putInt(offsets[i]).putInt(data[i].length);
        }
        for (int i = 0; i < 6; i++) {
            p.position(offsets[i]);
            p.put(data[i]);
        }
        return p.array();
    }

    private static byte[] xyzTag(double x, double y, double z) {
        return ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.ISO_8859_1)).putInt(0)
                .putInt(s15(x)).putInt(s15(y)).putInt(s15(z)).array();
    }

    private static byte[] descTag(String text) {
        byte[] ascii = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer d = ByteBuffer.allocate(12 + ascii.length + 8 + 3 + 67);
        d.put("desc".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(ascii.length).put(ascii);
        return d.array();
    }

    private static int s15(double v) {
        return (int) Math.round(v * 65536);
    }

    /** The first bytes of an iPhone photo: an ISO base media file whose ftyp box names the heic brand. */
    public static byte[] heicHeader() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(24).put("ftypheic".getBytes(StandardCharsets.ISO_8859_1)).putInt(0)
                .put("mif1heic".getBytes(StandardCharsets.ISO_8859_1));
        b.putInt(40).put("meta".getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }
}
