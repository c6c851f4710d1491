package dev.glint.shared.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts AWS requests by service and operation ("DynamoDb.Query"): each attempt once (what is
 * billed and throttled, retries included), and separately the calls that succeeded (what the code
 * asked for). How the cost of an API call or a message is measured, by tests and benchmarks.
 */
public final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        increment(counts, attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        increment(successes, attributes);
    }

    private static void increment(Map<String, AtomicLong> into, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        into.computeIfAbsent(service + "." + operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** Request attempts so far (retries included), by "Service.Operation". */
    public Map<String, Long> snapshot() {
        return copy(counts);
    }

    /** Calls that succeeded so far, by "Service.Operation": a call retried after a conflict counts once. */
    public Map<String, Long> successes() {
        return copy(successes);
    }

    private static Map<String, Long> copy(Map<String, AtomicLong> from) {
        Map<String, Long> out = new TreeMap<>();
        from.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Requests to one service so far. */
    public long total(String service) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(service + "."))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    public void reset() {
        counts.clear();
        successes.clear();
    }
}
