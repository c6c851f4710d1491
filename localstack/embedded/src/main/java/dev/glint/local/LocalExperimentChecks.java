package dev.glint.local;

import dev.glint.shared.messages.ExperimentsCheck;
import dev.glint.shared.messages.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in for the stage's EventBridge schedule: puts an {@code experiments.check} message
 * on the fan-out queue every so often, where the fan-out worker handles it as on AWS.
 */
final class LocalExperimentChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalExperimentChecks.class);

    private final ScheduledExecutorService timer;

    /** @param every zero: never (the stack runs no check of its own) */
    LocalExperimentChecks(SqsClient sqs, String fanoutQueueUrl, Duration every) {
        if (every.isZero() || every.isNegative()) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "glint-experiment-checks");
            thread.setDaemon(true);
            return thread;
        });
        long millis = every.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                sqs.sendMessage(r -> r.queueUrl(fanoutQueueUrl)
                        .messageBody(MessageCodec.encode(ExperimentsCheck.of(Instant.now().toString()))));
            } catch (RuntimeException e) {
                // The next tick sends again, as the scheduler's next firing would.
                LOG.warn("the experiments check was not queued", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
