package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Spaces out the retries of a failed message by changing its visibility timeout: 5 s after the
 * first failure, doubling with each receive, at most 15 minutes. A message that cannot be read at
 * all (wrong type or version) is made visible again at once, so it reaches the dead-letter queue
 * after maxReceiveCount without waiting.
 */
public final class RetryBackoff {

    static final int BASE_SECONDS = 5;
    static final int MAX_SECONDS = 900;
    private static final Logger LOG = LoggerFactory.getLogger(RetryBackoff.class);

    private final SqsClient sqs;
    private final String queueUrl;

    public RetryBackoff(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Seconds before the next delivery of a message that failed on its {@code receiveCount}-th receive. */
    static int delaySeconds(int receiveCount, boolean unreadable) {
        if (unreadable) {
            return 0;
        }
        int exponent = Math.max(0, Math.min(receiveCount - 1, 10));
        return Math.min(MAX_SECONDS, BASE_SECONDS << exponent);
    }

    void retryLater(SQSEvent.SQSMessage message, int receiveCount, boolean unreadable) {
        int delay = delaySeconds(receiveCount, unreadable);
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout(delay));
        } catch (RuntimeException e) {
            // The queue's own visibility timeout still brings the message back: the retry only comes later.
            LOG.warn("could not delay the retry of message {}", message.getMessageId(), e);
        }
    }
}
