package dev.glint.streamprocessor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.StreamBatchProcessor;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code stream-processor} function: consumes the table's change stream in order. */
public final class StreamProcessorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final StreamBatchProcessor processor;

    /** Used by Lambda: configuration and clients from the environment. */
    public StreamProcessorHandler() {
        this(StreamProcessorComposition.fromEnvironment());
    }

    public StreamProcessorHandler(StreamProcessorComposition composition) {
        this.processor = new StreamBatchProcessor(composition.decoder(), composition.useCase());
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processor.process(event));
    }
}
