package dev.glint.shared.messages;

/**
 * Asks the media worker to turn an uploaded original into the renditions of a post.
 *
 * @param postId    the post whose media this is
 * @param uploadKey the key of the original in the uploads bucket
 */
public record MediaJob(String type, int v, String postId, String uploadKey) implements QueueMessage {
    public static final String TYPE = "media.process";
    public static final int VERSION = 1;

    public static MediaJob of(String postId, String uploadKey) {
        return new MediaJob(TYPE, VERSION, postId, uploadKey);
    }
}
