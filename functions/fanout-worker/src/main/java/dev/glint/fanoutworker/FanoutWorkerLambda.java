package dev.glint.fanoutworker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.glint.lambda.SqsEvents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code fanout-worker} function's Lambda entry point: reads the SQS event and writes the batch
 * response itself ({@link SqsEvents}) and hands the batch to {@link FanoutWorkerHandler}.
 */
public final class FanoutWorkerLambda implements RequestStreamHandler {

    private final FanoutWorkerHandler handler = new FanoutWorkerHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SqsEvents.write(handler.handleRequest(SqsEvents.read(input), context), output);
    }
}
