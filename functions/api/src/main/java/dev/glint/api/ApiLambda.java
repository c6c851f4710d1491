package dev.glint.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code api} function's Lambda entry point: reads the HTTP API event and writes the response
 * itself ({@link HttpEvents}) and hands the rest to {@link ApiHandler}. Skipping the runtime's
 * serializer for typed events saves about 800 classes of each cold start.
 */
public final class ApiLambda implements RequestStreamHandler {

    private final ApiHandler handler = new ApiHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpEvents.write(handler.handleRequest(HttpEvents.read(input), context), output);
    }
}
