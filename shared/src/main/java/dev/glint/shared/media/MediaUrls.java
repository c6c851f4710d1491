package dev.glint.shared.media;

/** Where a client fetches a rendition from: a URL for its object key, valid for a while. */
@FunctionalInterface
public interface MediaUrls {

    String url(String objectKey);
}
