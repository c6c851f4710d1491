package dev.glint.shared.messages;

/**
 * Asks the fan-out worker to approve the follow requests pending on an account its owner made public, one
 * page per message; a page that may leave some enqueues the job again. The pending requests are the job's
 * only state (approving one removes it), so a replay, a duplicate or a crash changes nothing twice.
 */
public record ApproveRequestsJob(String type, int v, String ownerId) implements QueueMessage {
    public static final String TYPE = "follow-requests.approve";
    public static final int VERSION = 1;

    public static ApproveRequestsJob of(String ownerId) {
        return new ApproveRequestsJob(TYPE, VERSION, ownerId);
    }
}
