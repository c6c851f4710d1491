package dev.glint.streamprocessor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.glint.lambda.StreamEvents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code stream-processor} function's Lambda entry point: reads the DynamoDB stream event and
 * writes the batch response itself ({@link StreamEvents}) and hands the batch to {@link StreamProcessorHandler}.
 */
public final class StreamProcessorLambda implements RequestStreamHandler {

    private final StreamProcessorHandler handler = new StreamProcessorHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamEvents.write(handler.handleRequest(StreamEvents.read(input), context), output);
    }
}
