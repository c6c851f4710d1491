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
 * Counts AWS requests by service and operation ("DynamoDb.Query"), each attempt once: how the cost
 * of an API call or a message is measured, by tests and benchmarks.
 */
public final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(service + "." + operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** Requests so far, by "Service.Operation". */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Requests to one service so far. */
    public long total(String service) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(service + "."))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    public void reset() {
        counts.clear();
    }
}
