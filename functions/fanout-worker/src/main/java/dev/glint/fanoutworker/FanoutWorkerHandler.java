package dev.glint.fanoutworker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.SqsBatchProcessor;
import dev.glint.lambda.VersionMetrics;
import dev.glint.shared.messages.ApproveRequestsJob;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.ExperimentsCheck;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.messages.DemoteJob;
import dev.glint.shared.messages.PromoteJob;
import dev.glint.shared.messages.QueueMessage;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code fanout-worker} function: consumes the {@code fanout} queue: fan-out pages, follow back-fills, celebrity promotions and demotions, email digest pages and the experiments' automatic-stop checks. */
public final class FanoutWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final SqsBatchProcessor<QueueMessage> processor;
    private final VersionMetrics metrics = new VersionMetrics();

    /** Used by Lambda: configuration and clients from the environment. */
    public FanoutWorkerHandler() {
        this(FanoutWorkerComposition.fromEnvironment());
    }

    public FanoutWorkerHandler(FanoutWorkerComposition composition) {
        SqsBatchProcessor<QueueMessage> batches = new SqsBatchProcessor<>(
                body -> MessageCodec.decodeAny(body, FanoutJob.class, BackfillJob.class, PromoteJob.class, DemoteJob.class, DigestRun.class, ExperimentsCheck.class,
                        ApproveRequestsJob.class), composition.useCase());
        this.processor = composition.backoff().map(batches::withBackoff).orElse(batches);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            SQSBatchResponse response = processor.process(event);
            // This version's failed messages: what its canary's rollback alarm watches.
            metrics.failedItems(context, response.getBatchItemFailures() == null ? 0 : response.getBatchItemFailures().size());
            return response;
        });
    }
}
