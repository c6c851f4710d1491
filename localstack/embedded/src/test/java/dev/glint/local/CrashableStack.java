package dev.glint.local;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local stack as a process a test can SIGKILL: like {@code ./glint up} on a data folder, with
 * short queue visibility timeouts (a message in flight when the process dies comes back in two
 * seconds). Prints {@code READY <api url>} once up.
 *
 * <p>With a pause point it freezes one function in the middle of its work and prints
 * {@code PAUSED <point>}, so the test kills it at a known place rather than by timing:
 * {@code media} stops the media worker just before it marks a post ready (its renditions written),
 * {@code fanout} stops the fan-out worker at its fourth batch of feed writes (three written).
 */
public final class CrashableStack {

    private CrashableStack() {
    }

    public static void main(String[] args) throws Exception {
        String pause = args.length > 2 ? args[2] : "none";
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults().withGatewayPort(Integer.parseInt(args[1]))
                .withDataDir(Path.of(args[0])).withVisibilityTimeout(2).withWriteLimits(1_000, 1_000);
        if (pause.equals("media")) {
            options = options.withFunctionInterceptor("media-worker", new PauseAt("media", "DynamoDb.TransactWriteItems", 1));
        } else if (pause.equals("fanout")) {
            options = options.withFunctionInterceptor("fanout-worker", new PauseAt("fanout", "DynamoDb.BatchWriteItem", 4));
        }
        EmbeddedStack stack = EmbeddedStack.start(options);
        System.out.println("READY " + stack.apiEndpoint());
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Freezes the calling thread at the n-th call of an operation. */
    private static final class PauseAt implements ExecutionInterceptor {
        private final String point;
        private final String operation;
        private final int nth;
        private final AtomicInteger seen = new AtomicInteger();

        PauseAt(String point, String operation, int nth) {
            this.point = point;
            this.operation = operation;
            this.nth = nth;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String called = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (called.equals(operation) && seen.incrementAndGet() == nth) {
                System.out.println("PAUSED " + point);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
