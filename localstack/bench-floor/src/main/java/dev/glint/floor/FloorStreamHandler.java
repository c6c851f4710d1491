package dev.glint.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The floor as a stream handler: the same clients and {@code GetItem} as {@link FloorHandler}, with
 * the event's bytes read and dropped instead of deserialized by the runtime. The functions' entry
 * points are stream handlers too; the benchmark shows this row beside the floor so that what their
 * own event reading saves is visible. Never deployed.
 */
public final class FloorStreamHandler implements RequestStreamHandler {

    private final FloorHandler floor = new FloorHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        Map<String, Object> result = floor.handleRequest(Map.of(), context);
        output.write(("{\"statusCode\":" + result.get("statusCode") + ",\"found\":" + result.get("found") + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
