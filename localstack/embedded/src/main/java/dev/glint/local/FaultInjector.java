package dev.glint.local;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the functions' DynamoDB, S3 and SQS calls fail and slow down, as a busy AWS region does:
 * before each attempt is sent it waits a random time up to {@code maxLatency} and, for a share
 * {@code rate} of attempts, throws the error the service would have answered instead (half of them
 * throttling, half 500/503), marked retryable exactly as a real one is. The SDK retries them with its
 * own policy; what its retries cannot absorb reaches the handlers, which must cope as they would on AWS.
 *
 * <p>Faults are injected before the request leaves, so the service never applied a failed attempt.
 * (Errors after a service applied a write, where the caller cannot know, are not injected here.)
 *
 * <p>Only the local stack installs it, and only when asked ({@link EmbeddedStack.Options#withFaults},
 * {@code ./glint up --faults 0.05}); on AWS, nothing does.
 */
public final class FaultInjector implements ExecutionInterceptor {

    private static final Set<String> SERVICES = Set.of("DynamoDb", "S3", "Sqs");
    private static final Map<String, String> THROTTLING_CODES = Map.of(
            "DynamoDb", "ProvisionedThroughputExceededException", "S3", "SlowDown", "Sqs", "ThrottlingException");

    private final double rate;
    private final Duration maxLatency;
    private final SplittableRandom random;
    private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();

    /**
     * @param rate       the share of attempts that fail, from 0 (none) to below 1
     * @param maxLatency the most a call is delayed (uniformly from zero)
     * @param seed       seeds the choice of which attempts fail
     */
    public FaultInjector(double rate, Duration maxLatency, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the fault rate is a share from 0 to below 1, not " + rate);
        }
        if (maxLatency.isNegative()) {
            throw new IllegalArgumentException("latency cannot be negative");
        }
        this.rate = rate;
        this.maxLatency = maxLatency;
        this.random = new SplittableRandom(seed);
    }

    public double rate() {
        return rate;
    }

    public Duration maxLatency() {
        return maxLatency;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if (!SERVICES.contains(service)) {
            return;
        }
        String operation = service + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        attempts.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        double roll;
        long delayNanos;
        synchronized (random) {
            roll = random.nextDouble();
            delayNanos = maxLatency.isZero() ? 0 : random.nextLong(maxLatency.toNanos() + 1);
        }
        if (delayNanos > 0) {
            try {
                Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (roll < rate) {
            injected.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
            throw fault(service, operation, roll < rate / 2);
        }
    }

    private static AwsServiceException fault(String service, String operation, boolean throttle) {
        int status = throttle ? (service.equals("S3") ? 503 : 400) : (service.equals("S3") ? 500 : 503);
        String code = throttle ? THROTTLING_CODES.get(service) : (service.equals("S3") ? "InternalError" : "ServiceUnavailable");
        String message = "injected fault: " + code + " on " + operation;
        return AwsServiceException.builder()
                .statusCode(status)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName(service).errorCode(code).errorMessage(message)
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build())
                .build();
    }

    /** Attempts seen so far, by "Service.Operation". */
    public Map<String, Long> attempts() {
        return copy(attempts);
    }

    /** Faults injected so far, by "Service.Operation". */
    public Map<String, Long> injected() {
        return copy(injected);
    }

    public long totalInjected() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long totalAttempts() {
        return attempts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static Map<String, Long> copy(Map<String, AtomicLong> from) {
        Map<String, Long> out = new TreeMap<>();
        from.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
