package dev.glint.shared.messages;

/**
 * A typed, versioned message Glint puts on one of its queues. Each carries its type and version
 * in the body ({@code "type"}, {@code "v"}) so a consumer can refuse what it does not understand
 * instead of half-applying it. JSON schemas: {@code events/schemas/}.
 */
public sealed interface QueueMessage permits MediaJob, FanoutJob, BackfillJob, PromoteJob, DemoteJob, PurgeJob, DigestRun, ExperimentsCheck,
        ApproveRequestsJob, EraseJob, ExportJob {

    /** The message type written in every body. */
    String type();

    /** The schema version written in every body. */
    int v();
}
