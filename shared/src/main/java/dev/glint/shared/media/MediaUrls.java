package dev.glint.shared.media;

/**
 * Where a client fetches a rendition from: a URL for its object key, valid for a while. URLs are
 * made in windows of time: within one window the same key gives the same URL, so browsers and
 * caches keep the image and a view that embeds URLs stays byte for byte the same.
 */
public interface MediaUrls {

    String url(String objectKey);

    /**
     * The current window: it changes exactly when {@link #url} starts giving other URLs. A cached
     * view that embeds URLs names it in its ETag, so a revalidation after the window gets fresh URLs
     * instead of a 304 for ones that may have expired.
     */
    default String window() {
        return "";
    }
}
