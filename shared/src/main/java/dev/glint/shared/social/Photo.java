package dev.glint.shared.social;

import java.util.Map;

/**
 * One photo of a post, in its place in the album. {@code media} maps a rendition name to its object
 * key once the photo is processed (empty before); {@code blurhash}, {@code width} and {@code height}
 * (of the upright original) come with it. {@code altText} is the author's description for people who
 * cannot see the photo ("" when none was given).
 */
public record Photo(String uploadId, String objectKey, String altText, FocalPoint focalPoint, Map<String, String> media,
                   String blurhash, int width, int height) {

    public static final int MAX_ALT_TEXT = 1_500;

    public Photo {
        altText = altText == null ? "" : altText;
        focalPoint = focalPoint == null ? FocalPoint.CENTRE : focalPoint;
        media = media == null ? Map.of() : Map.copyOf(media);
    }

    /** A photo as a new post names it: not processed yet. */
    public static Photo of(String uploadId, String objectKey, String altText, FocalPoint focalPoint) {
        return new Photo(uploadId, objectKey, altText, focalPoint, Map.of(), null, 0, 0);
    }

    public boolean processed() {
        return !media.isEmpty();
    }

    public Photo withAltText(String text) {
        return new Photo(uploadId, objectKey, text, focalPoint, media, blurhash, width, height);
    }

    public Photo processed(Map<String, String> renditions, String hash, int w, int h) {
        return new Photo(uploadId, objectKey, altText, focalPoint, renditions, hash, w, h);
    }
}
