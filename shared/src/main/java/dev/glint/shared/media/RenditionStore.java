package dev.glint.shared.media;

/** Where posts' renditions are kept; the store decides where each lands. */
public interface RenditionStore {

    /**
     * Writes (or overwrites) one rendition of a post's photo (its place in the album, from 0), a JPEG.
     *
     * @return the rendition's object key, which the post keeps and the API signs URLs for
     */
    String put(String postId, int photo, String rendition, byte[] jpeg);

    /** Deletes every rendition of every photo of a post; deleting what is not there changes nothing. */
    void deleteAll(String postId);
}
