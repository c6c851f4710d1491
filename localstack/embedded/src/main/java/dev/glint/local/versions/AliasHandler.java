package dev.glint.local.versions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.glint.local.LocalMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The api's {@code live} alias, as the local gateway's integration: each invocation picks a version by
 * the alias's routing (weighted at random, as Lambda does), runs it in its own class loader, and
 * answers what it answered; the response's {@code x-glint-version} is the version that served. As
 * Lambda's service does for an alias, it records the invocation's {@code AWS/Lambda} {@code Errors}
 * (the handler threw) and {@code Duration} with the dimensions {@code FunctionName},
 * {@code Resource} ({@code name:live}) and {@code ExecutedVersion}; the version's own metric lines
 * are read from its output into the same store.
 */
public final class AliasHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(AliasHandler.class);
    public static final String ALIAS = "live";

    private final String functionName;
    private final Map<String, IsolatedVersion> versions = new ConcurrentHashMap<>();
    private final Random random;
    private final Consumer<String> log;
    private volatile AliasRouting routing;
    private volatile LocalMetrics metrics;

    /**
     * @param log where the versions' own log lines go (not their metric lines)
     */
    public AliasHandler(String functionName, AliasRouting routing, Random random, Consumer<String> log) {
        this.functionName = functionName;
        this.routing = routing;
        this.random = random;
        this.log = log;
    }

    /** Whether the version is loaded. */
    public boolean has(String version) {
        return versions.containsKey(version);
    }

    public void add(IsolatedVersion version) {
        versions.put(version.version(), version);
    }

    /** Where the metrics go (the stack's store, known once the stack is up). */
    public void metrics(LocalMetrics store) {
        this.metrics = store;
    }

    public AliasRouting routing() {
        return routing;
    }

    /** Moves the alias, as {@code UpdateAlias} does: the next invocations follow the new routing. */
    public void route(AliasRouting value) {
        if (!versions.containsKey(value.version()) || value.additionalVersion() != null && !versions.containsKey(value.additionalVersion())) {
            throw new IllegalArgumentException("the alias can only point to loaded versions " + versions.keySet() + ": " + value);
        }
        this.routing = value;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String chosen;
        synchronized (random) {
            chosen = routing.pick(random);
        }
        return invoke(chosen, event);
    }

    /** Runs one loaded version on the event, recording its metrics as Lambda records an alias's. */
    public APIGatewayV2HTTPResponse invoke(String chosen, APIGatewayV2HTTPEvent event) {
        IsolatedVersion version = versions.get(chosen);
        if (version == null) {
            throw new IllegalStateException(functionName + " has no loaded version " + chosen);
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        serializer(APIGatewayV2HTTPEvent.class).toJson(event, json);
        long started = System.nanoTime();
        boolean error = false;
        try {
            byte[] response = version.invoke(json.toByteArray(), this::output);
            return serializer(APIGatewayV2HTTPResponse.class).fromJson(new ByteArrayInputStream(response));
        } catch (InvocationTargetException e) {
            error = true;
            LOG.warn("{} version {} failed the invocation: {}", functionName, chosen, String.valueOf(e.getCause()));
            throw new IllegalStateException(functionName + ":" + chosen + " failed", e.getCause());
        } catch (Exception e) {
            error = true;
            throw new IllegalStateException(functionName + ":" + chosen + " could not be invoked", e);
        } finally {
            double millis = (System.nanoTime() - started) / 1e6;
            LocalMetrics store = metrics;
            if (store != null) {
                Map<String, String> dimensions = Map.of("FunctionName", functionName, "Resource", functionName + ":" + ALIAS,
                        "ExecutedVersion", chosen);
                long now = System.currentTimeMillis();
                store.record("AWS/Lambda", "Errors", dimensions, now, error ? 1 : 0);
                store.record("AWS/Lambda", "Duration", dimensions, now, millis);
                store.record("AWS/Lambda", "Invocations", dimensions, now, 1);
            }
        }
    }

    private void output(String line) {
        LocalMetrics store = metrics;
        if (line.startsWith("{\"_aws\":")) {
            if (store != null) {
                store.accept(line);
            }
        } else {
            log.accept(line);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return (PojoSerializer<T>) LambdaEventSerializers.serializerFor(type, AliasHandler.class.getClassLoader());
    }

    /** Closes every version's class loader. */
    public void close() {
        for (IsolatedVersion version : versions.values()) {
            try {
                version.close();
            } catch (Exception e) {
                LOG.warn("closing version {} failed", version.version(), e);
            }
        }
    }
}
