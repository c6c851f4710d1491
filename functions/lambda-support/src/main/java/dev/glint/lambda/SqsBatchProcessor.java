package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.MessageFormatException;
import dev.glint.shared.messages.QueueMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an SQS batch into typed messages for a use case and reports partial batch failures
 * ({@code ReportBatchItemFailures}): only the messages that failed are delivered again.
 *
 * <p>Powertools' batch module does not resolve in our build, so this is its small equivalent.
 * On a FIFO queue, the first failure also fails every later message of the batch, to keep order.
 */
public final class SqsBatchProcessor<T extends QueueMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchProcessor.class);

    private final java.util.function.Function<String, T> decoder;
    private final MessageConsumer<T> consumer;
    private RetryBackoff backoff;

    public SqsBatchProcessor(Class<T> type, MessageConsumer<T> consumer) {
        this(body -> MessageCodec.decode(body, type), consumer);
    }

    /** @param decoder turns a body into a message, or throws {@link MessageFormatException} */
    public SqsBatchProcessor(java.util.function.Function<String, T> decoder, MessageConsumer<T> consumer) {
        this.decoder = decoder;
        this.consumer = consumer;
    }

    /** Spaces out retries of failed messages (without it, the queue's visibility timeout decides). */
    public SqsBatchProcessor<T> withBackoff(RetryBackoff retryBackoff) {
        this.backoff = retryBackoff;
        return this;
    }

    public SQSBatchResponse process(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        boolean failRest = false;
        for (SQSEvent.SQSMessage record : records) {
            String id = record.getMessageId();
            if (failRest) {
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
                continue;
            }
            try {
                T message = decoder.apply(record.getBody());
                consumer.accept(message, new MessageConsumer.Delivery(id, receiveCount(record)));
            } catch (MessageFormatException e) {
                LOG.error("refusing message {} (receive {}): {}; it goes to the dead-letter queue after maxReceiveCount",
                        id, receiveCount(record), e.getMessage());
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
                failRest = isFifo(record);
                retryLater(record, true);
            } catch (RuntimeException e) {
                LOG.error("message {} failed (receive {}); it will be retried", id, receiveCount(record), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
                failRest = isFifo(record);
                retryLater(record, false);
            }
        }
        return new SQSBatchResponse(failures);
    }

    private void retryLater(SQSEvent.SQSMessage record, boolean unreadable) {
        if (backoff != null && !isFifo(record)) {
            backoff.retryLater(record, receiveCount(record), unreadable);
        }
    }

    private static int receiveCount(SQSEvent.SQSMessage record) {
        String raw = record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
        try {
            return raw == null ? 1 : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean isFifo(SQSEvent.SQSMessage record) {
        return record.getEventSourceArn() != null && record.getEventSourceArn().endsWith(".fifo");
    }
}
