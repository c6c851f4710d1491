package dev.glint.mediaworker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.SqsBatchProcessor;
import dev.glint.lambda.VersionMetrics;
import dev.glint.shared.messages.EraseJob;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.messages.PurgeJob;
import dev.glint.shared.messages.QueueMessage;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code media-worker} function: consumes the {@code media} queue, a {@link MediaJob} or a {@link PurgeJob} per message. */
public final class MediaWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final SqsBatchProcessor<QueueMessage> processor;
    private final VersionMetrics metrics = new VersionMetrics();

    /** Used by Lambda: configuration and clients from the environment. */
    public MediaWorkerHandler() {
        this(MediaWorkerComposition.fromEnvironment());
    }

    public MediaWorkerHandler(MediaWorkerComposition composition) {
        SqsBatchProcessor<QueueMessage> batches = new SqsBatchProcessor<>(
                body -> MessageCodec.decodeAny(body, MediaJob.class, PurgeJob.class, EraseJob.class,
                        dev.glint.shared.messages.ExportJob.class), composition.useCase());
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
