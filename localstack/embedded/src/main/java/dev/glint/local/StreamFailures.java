package dev.glint.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.shared.aws.StreamFilter;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./glint dlq list|show|redrive stream-failures}: the stream records the stream processor gave
 * up on. Lambda's on-failure destination holds a description of each discarded batch (its shard and
 * first and last sequence numbers), not the records, so a redrive reads the records again from the
 * stream, starting at the first sequence number ({@code AT_SEQUENCE_NUMBER}) and stopping after the
 * last, and applies them with the stream processor's own batch processor and use case, in order.
 *
 * <p>Re-applying is idempotent: the stream processor keeps a marker per event id for everything it
 * counts, and the records read again carry their original event ids, so a record that was partly
 * applied before, or a redrive repeated, changes nothing twice. Reading the items' current state
 * instead would lose what the change was (a like and an unlike in the range leave no item to count).
 *
 * <p>A description is deleted from the queue only when every record in its range was applied. It stays
 * when a record fails again, and when its records have left the stream (24 hours after they were
 * written): then the range is reported, and what it changed must be repaired from the table by hand.
 */
final class StreamFailures {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An open shard can answer empty pages before the records at an iterator's position. */
    private static final int MAX_EMPTY_PAGES = 20;

    private final SqsClient sqs;
    private final DynamoDbStreamsClient streams;
    private final String queueUrl;
    private final StreamBatchProcessor processor;
    private final PrintStream out;

    StreamFailures(SqsClient sqs, DynamoDbStreamsClient streams, String queueUrl, StreamBatchProcessor processor, PrintStream out) {
        this.sqs = sqs;
        this.streams = streams;
        this.queueUrl = queueUrl;
        this.processor = processor;
        this.out = out;
    }

    /** The queue and how many descriptions wait on it; returns the number waiting. */
    int list() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        out.printf("%s%n  waiting %s, in flight %s%n", queueUrl, attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
    }

    /** Prints up to {@code max} descriptions without consuming them: range, why, which version. */
    int show(int max) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, max))
                .visibilityTimeout(0).waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        for (Message message : messages) {
            Range range = Range.of(message.body());
            out.printf("%s  received %s times%n  %s%n  %s%n", message.messageId(),
                    message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), range, message.body());
        }
        if (messages.isEmpty()) {
            out.println("(empty)");
        }
        return messages.size();
    }

    /** What a redrive did: records read again and applied, descriptions done, and those left on the queue. */
    record Outcome(int recordsApplied, int rangesDone, int rangesLeft) {
    }

    /** Reads each described range from the stream again and applies it; deletes the descriptions that are done. */
    Outcome redrive() {
        int applied = 0;
        int done = 0;
        int left = 0;
        List<String> seen = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(120).waitTimeSeconds(1)).messages();
            if (messages.isEmpty() || messages.stream().allMatch(m -> seen.contains(m.messageId()))) {
                break;
            }
            for (Message message : messages) {
                if (seen.contains(message.messageId())) {
                    continue;
                }
                seen.add(message.messageId());
                Range range;
                try {
                    range = Range.of(message.body());
                } catch (IllegalArgumentException e) {
                    out.printf("%s: %s; left on the queue%n", message.messageId(), e.getMessage());
                    left++;
                    continue;
                }
                try {
                    int count = apply(range);
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                    out.printf("%s: applied %d record(s) again%n", range, count);
                    applied += count;
                    done++;
                } catch (DynamoDbException e) {
                    out.printf("%s: cannot be read from the stream (%s); left on the queue: repair from the table%n",
                            range, e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
                    left++;
                } catch (RuntimeException e) {
                    out.printf("%s: failed again (%s); left on the queue%n", range, e.getMessage());
                    left++;
                }
            }
        }
        out.printf("redrove %d range(s) from %s: %d record(s) applied again, %d range(s) left%n", done, queueUrl, applied, left);
        return new Outcome(applied, done, left);
    }

    /** Reads the range's records and applies those the stream's filter lets through, in order. */
    private int apply(Range range) {
        List<Record> records = read(range);
        List<DynamodbEvent.DynamodbStreamRecord> batch = new ArrayList<>();
        for (Record record : records) {
            DynamodbEvent.DynamodbStreamRecord lambda = StreamPoller.toRecord(record, range.streamArn());
            if (StreamFilter.matches(StreamBatchProcessor.toChange(lambda))) {
                batch.add(lambda);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(batch);
        var response = processor.process(event);
        if (response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("record " + response.getBatchItemFailures().get(0).getItemIdentifier() + " failed");
        }
        return batch.size();
    }

    private List<Record> read(Range range) {
        String iterator = streams.getShardIterator(r -> r.streamArn(range.streamArn()).shardId(range.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(range.start())).shardIterator();
        BigInteger end = new BigInteger(range.end());
        List<Record> records = new ArrayList<>();
        int empty = 0;
        while (iterator != null && empty < MAX_EMPTY_PAGES) {
            String at = iterator;
            var page = streams.getRecords(r -> r.shardIterator(at).limit(1000));
            empty = page.records().isEmpty() ? empty + 1 : 0;
            for (Record record : page.records()) {
                if (new BigInteger(record.dynamodb().sequenceNumber()).compareTo(end) > 0) {
                    return records;
                }
                records.add(record);
            }
            if (!records.isEmpty() && records.get(records.size() - 1).dynamodb().sequenceNumber().equals(range.end())) {
                return records;
            }
            iterator = page.nextShardIterator();
        }
        if (records.isEmpty()) {
            throw new IllegalStateException("no record of the range is left in the stream");
        }
        return records;
    }

    /** The part of Lambda's on-failure document that names the discarded records. */
    record Range(String streamArn, String shardId, String start, String end, int batchSize, String condition, String version) {
        static Range of(String body) {
            JsonNode document;
            try {
                document = JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("not a stream failure description");
            }
            JsonNode info = document.path("DDBStreamBatchInfo");
            for (String field : List.of("streamArn", "shardId", "startSequenceNumber", "endSequenceNumber")) {
                if (!info.path(field).isTextual() || info.path(field).asText().isBlank()) {
                    throw new IllegalArgumentException("not a stream failure description (no DDBStreamBatchInfo." + field + ")");
                }
            }
            if (!info.path("startSequenceNumber").asText().matches("[0-9]{1,40}") || !info.path("endSequenceNumber").asText().matches("[0-9]{1,40}")) {
                throw new IllegalArgumentException("unreadable sequence numbers");
            }
            return new Range(info.path("streamArn").asText(), info.path("shardId").asText(), info.path("startSequenceNumber").asText(),
                    info.path("endSequenceNumber").asText(), info.path("batchSize").asInt(),
                    document.path("requestContext").path("condition").asText(""),
                    document.path("responseContext").path("executedVersion").asText(""));
        }

        @Override
        public String toString() {
            return String.format("shard %s, records %s to %s (%d), %s on version %s", shardId, start, end, batchSize, condition, version);
        }
    }
}
