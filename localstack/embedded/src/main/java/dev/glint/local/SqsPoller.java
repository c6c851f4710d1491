package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.LocalContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lambda's SQS event source mapping, locally: long-polls a queue, hands batches to a worker
 * handler and, with {@code ReportBatchItemFailures}, deletes only the messages that succeeded.
 * Failed messages become visible again after the visibility timeout; the queue's redrive policy
 * moves them to the dead-letter queue after maxReceiveCount. A handler that throws fails the whole
 * batch, and a response naming a message that was not in the batch fails the whole batch too.
 */
final class SqsPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String functionName;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final int batchSize;
    private final long timeoutMillis;
    private final boolean reportBatchItemFailures;
    private final Thread thread;
    private volatile boolean running = true;

    SqsPoller(SqsClient sqs, String queueUrl, String queueArn, String functionName,
              RequestHandler<SQSEvent, SQSBatchResponse> handler, int batchSize, long timeoutMillis) {
        this(sqs, queueUrl, queueArn, functionName, handler, batchSize, timeoutMillis, true);
    }

    /**
     * @param reportBatchItemFailures the mapping's {@code FunctionResponseTypes} holds
     *        {@code ReportBatchItemFailures}; without it Lambda ignores the response, and a batch the
     *        function returns from is deleted whole
     */
    SqsPoller(SqsClient sqs, String queueUrl, String queueArn, String functionName,
              RequestHandler<SQSEvent, SQSBatchResponse> handler, int batchSize, long timeoutMillis,
              boolean reportBatchItemFailures) {
        this.reportBatchItemFailures = reportBatchItemFailures;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.functionName = functionName;
        this.handler = handler;
        this.batchSize = Math.min(10, batchSize);
        this.timeoutMillis = timeoutMillis;
        this.thread = new Thread(this::run, "glint-sqs-" + functionName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (!messages.isEmpty()) {
                    deliver(messages);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("polling {} failed; retrying", queueUrl, e);
                    Pause.quietly(500);
                }
            }
        }
    }

    private void deliver(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(this::toRecord).toList());
        Set<String> failed = new HashSet<>();
        try {
            SQSBatchResponse response = handler.handleRequest(event,
                    LocalContext.forInvocation(functionName, timeoutMillis));
            Set<String> inBatch = new HashSet<>(messages.stream().map(Message::messageId).toList());
            if (reportBatchItemFailures && response != null && response.getBatchItemFailures() != null) {
                for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                    if (failure.getItemIdentifier() == null || !inBatch.contains(failure.getItemIdentifier())) {
                        LOG.error("{} reported failure of unknown message {}: the whole batch is retried",
                                functionName, failure.getItemIdentifier());
                        return;
                    }
                    failed.add(failure.getItemIdentifier());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{} failed its batch of {}: every message is retried", functionName, messages.size(), e);
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            var result = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
            if (!result.failed().isEmpty()) {
                LOG.warn("{}: {} processed messages could not be deleted and will be delivered again",
                        functionName, result.failed().size());
            }
        }
    }

    private SQSEvent.SQSMessage toRecord(Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        Map<String, String> attributes = new LinkedHashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            if (value.binaryValue() != null) {
                attribute.setBinaryValue(value.binaryValue().asByteBuffer());
            }
            messageAttributes.put(name, attribute);
        });
        record.setMessageAttributes(messageAttributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(LocalContext.REGION);
        return record;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
