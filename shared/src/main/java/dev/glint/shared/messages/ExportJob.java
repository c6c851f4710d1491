package dev.glint.shared.messages;

/**
 * Asks the media worker (which reads renditions and writes to both buckets) to build the archive of one
 * export of a user's data ({@code account.export}).
 */
public record ExportJob(String type, int v, String userId, String exportId) implements QueueMessage {
    public static final String TYPE = "account.export";
    public static final int VERSION = 1;

    public static ExportJob of(String userId, String exportId) {
        return new ExportJob(TYPE, VERSION, userId, exportId);
    }
}
