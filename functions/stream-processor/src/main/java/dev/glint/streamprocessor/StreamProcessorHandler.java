package dev.glint.streamprocessor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.lambda.VersionMetrics;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code stream-processor} function: consumes the table's change stream in order. */
public final class StreamProcessorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final StreamBatchProcessor processor;
    private final VersionMetrics metrics = new VersionMetrics();

    /** Used by Lambda: configuration and clients from the environment. */
    public StreamProcessorHandler() {
        this(StreamProcessorComposition.fromEnvironment());
    }

    public StreamProcessorHandler(StreamProcessorComposition composition) {
        this.processor = new StreamBatchProcessor(composition.decoder(), composition.useCase());
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            StreamsEventResponse response;
            try {
                response = processor.process(event);
            } catch (RuntimeException e) {
                // The record at the head of the batch (or the whole batch) failed: one record is retried alone.
                metrics.failedRecords(context, 1);
                throw e;
            }
            // This version's failed records: what its canary's rollback alarm watches.
            metrics.failedRecords(context, response.getBatchItemFailures() == null ? 0 : response.getBatchItemFailures().size());
            return response;
        });
    }
}
