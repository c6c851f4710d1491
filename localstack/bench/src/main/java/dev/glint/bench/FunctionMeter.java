package dev.glint.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.local.EmbeddedStack;
import dev.glint.shared.resources.GlintResources;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps every function's handler in the local stack: counts invocations and their time (for Lambda's
 * request and GB-second charges), and keeps the {@code api} handler itself and the last event it got
 * per route, so the same request can be replayed without the gateway.
 */
final class FunctionMeter implements EmbeddedStack.HandlerDecorator {

    private final Map<String, AtomicLong> invocations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();
    private final Map<String, APIGatewayV2HTTPEvent> lastEvents = new ConcurrentHashMap<>();
    private volatile RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
        if (function.equals(GlintResources.API_FUNCTION.name())) {
            api = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) (RequestHandler<?, ?>) handler;
        }
        AtomicLong count = invocations.computeIfAbsent(function, k -> new AtomicLong());
        AtomicLong time = nanos.computeIfAbsent(function, k -> new AtomicLong());
        return (event, context) -> {
            if (event instanceof APIGatewayV2HTTPEvent http) {
                lastEvents.put(http.getRequestContext().getHttp().getMethod() + " " + http.getRawPath(), http);
            }
            long started = System.nanoTime();
            try {
                return handler.handleRequest(event, context);
            } finally {
                time.addAndGet(System.nanoTime() - started);
                count.incrementAndGet();
            }
        };
    }

    long invocations(String function) {
        AtomicLong count = invocations.get(function);
        return count == null ? 0 : count.get();
    }

    double millis(String function) {
        AtomicLong time = nanos.get(function);
        return time == null ? 0 : time.get() / 1e6;
    }

    long totalInvocations() {
        return invocations.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void reset() {
        invocations.values().forEach(c -> c.set(0));
        nanos.values().forEach(c -> c.set(0));
    }

    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api() {
        return api;
    }

    /** The last event the gateway sent for "METHOD /raw/path", or null. */
    APIGatewayV2HTTPEvent lastEvent(String methodAndPath) {
        return lastEvents.get(methodAndPath);
    }
}
