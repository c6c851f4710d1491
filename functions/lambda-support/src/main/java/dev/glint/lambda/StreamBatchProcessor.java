package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.glint.shared.ports.ChangeConsumer;
import dev.glint.shared.stream.ChangeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a DynamoDB stream batch into {@link ChangeRecord}s, in order, and reports the first failure
 * ({@code ReportBatchItemFailures}): the event source retries from that record, so nothing after a
 * failed record is applied out of order.
 */
public final class StreamBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(StreamBatchProcessor.class);

    private final ChangeConsumer consumer;

    public StreamBatchProcessor(ChangeConsumer consumer) {
        this.consumer = consumer;
    }

    public StreamsEventResponse process(DynamodbEvent event) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<ChangeRecord> changes = new ArrayList<>();
        int unreadable = -1;
        for (int i = 0; i < records.size(); i++) {
            try {
                changes.add(toChange(records.get(i)));
            } catch (RuntimeException e) {
                LOG.error("stream record {} cannot be read; the batch is retried from it", records.get(i).getEventID(), e);
                unreadable = i;
                break;
            }
        }
        int failedAt = unreadable;
        try {
            consumer.acceptBatch(changes);
        } catch (ChangeConsumer.BatchFailure e) {
            failedAt = e.index();
            LOG.error("stream record {} failed; the batch is retried from it", records.get(failedAt).getEventID(), e.getCause());
        } catch (RuntimeException e) {
            failedAt = 0;
            LOG.error("a stream batch of {} records failed; it is retried whole", records.size(), e);
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        if (failedAt >= 0 && !records.isEmpty()) {
            var failed = records.get(failedAt).getDynamodb();
            failures.add(StreamsEventResponse.BatchItemFailure.builder()
                    .withItemIdentifier(failed == null ? null : failed.getSequenceNumber()).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    static ChangeRecord toChange(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord body = record.getDynamodb();
        if (body == null || record.getEventName() == null) {
            throw new IllegalArgumentException("stream record " + record.getEventID() + " has no change");
        }
        return new ChangeRecord(
                record.getEventID(),
                body.getSequenceNumber(),
                ChangeRecord.Kind.valueOf(record.getEventName()),
                plain(body.getKeys()),
                plain(body.getNewImage()),
                plain(body.getOldImage()));
    }

    private static Map<String, Object> plain(Map<String, AttributeValue> item) {
        if (item == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, plain(value)));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Object plain(AttributeValue v) {
        if (v.getS() != null) {
            return v.getS();
        }
        if (v.getN() != null) {
            return new BigDecimal(v.getN());
        }
        if (v.getBOOL() != null) {
            return v.getBOOL();
        }
        if (v.getB() != null) {
            return bytes(v.getB());
        }
        if (v.getM() != null) {
            return plain(v.getM());
        }
        if (v.getL() != null) {
            return v.getL().stream().map(StreamBatchProcessor::plain).toList();
        }
        if (v.getSS() != null) {
            return Set.copyOf(v.getSS());
        }
        if (v.getNS() != null) {
            Set<BigDecimal> numbers = new LinkedHashSet<>();
            v.getNS().forEach(n -> numbers.add(new BigDecimal(n)));
            return numbers;
        }
        if (v.getBS() != null) {
            return v.getBS().stream().map(StreamBatchProcessor::bytes).toList();
        }
        return null;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
