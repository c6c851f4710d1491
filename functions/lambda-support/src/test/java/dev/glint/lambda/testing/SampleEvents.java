package dev.glint.lambda.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a sample event from the repository's {@code events/} folder with the Lambda runtime's own
 * event serializers, so a handler test sees exactly what Lambda would hand it.
 */
public final class SampleEvents {

    private SampleEvents() {
    }

    public static Path dir() {
        String configured = System.getProperty("glint.events.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../events");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("sample events folder not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    public static <T> T load(String relativePath, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, SampleEvents.class.getClassLoader());
        try (InputStream in = Files.newInputStream(dir().resolve(relativePath))) {
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
