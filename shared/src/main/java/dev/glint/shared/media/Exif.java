package dev.glint.shared.media;

/**
 * Reads the one EXIF tag Glint needs, the orientation (0x0112 in IFD0), from a JPEG's APP1 segment,
 * without a metadata library. Anything malformed reads as "upright" (1).
 */
final class Exif {

    private Exif() {
    }

    static int orientation(byte[] jpeg) {
        try {
            int i = 2;
            while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
                int marker = jpeg[i + 1] & 0xFF;
                int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
                if (marker == 0xDA || marker == 0xD9) {
                    return 1;
                }
                if (marker == 0xE1 && length >= 8 && i + 2 + length <= jpeg.length
                        && jpeg[i + 4] == 'E' && jpeg[i + 5] == 'x' && jpeg[i + 6] == 'i' && jpeg[i + 7] == 'f') {
                    int tiff = i + 10;
                    return fromTiff(jpeg, tiff, i + 2 + length);
                }
                i += 2 + length;
            }
        } catch (RuntimeException e) {
            return 1;
        }
        return 1;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        int ifd = tiff + (int) read(b, tiff + 4, 4, little);
        int entries = (int) read(b, ifd, 2, little);
        for (int e = 0; e < entries; e++) {
            int entry = ifd + 2 + e * 12;
            if (entry + 12 > end) {
                return 1;
            }
            if (read(b, entry, 2, little) == 0x0112) {
                int value = (int) read(b, entry + 8, 2, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static long read(byte[] b, int at, int size, boolean little) {
        long value = 0;
        for (int k = 0; k < size; k++) {
            int byteValue = b[at + k] & 0xFF;
            value = little ? value | ((long) byteValue << (8 * k)) : (value << 8) | byteValue;
        }
        return value;
    }
}
