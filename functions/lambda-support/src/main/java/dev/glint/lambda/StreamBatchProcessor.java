package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.glint.shared.aws.ChangeRecord;
import dev.glint.shared.aws.StreamDecoder;
import dev.glint.shared.changes.ChangeConsumer;
import dev.glint.shared.changes.TableChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a DynamoDB stream batch into typed {@link TableChange}s, in order ({@link StreamDecoder}),
 * and reports the first failure ({@code ReportBatchItemFailures}): the event source retries from
 * that record, so nothing after a failed record is applied out of order.
 */
public final class StreamBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(StreamBatchProcessor.class);

    private final StreamDecoder decoder;
    private final ChangeConsumer consumer;

    public StreamBatchProcessor(StreamDecoder decoder, ChangeConsumer consumer) {
        this.decoder = decoder;
        this.consumer = consumer;
    }

    public StreamsEventResponse process(DynamodbEvent event) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<TableChange> changes = new ArrayList<>();
        int unreadable = -1;
        for (int i = 0; i < records.size(); i++) {
            try {
                changes.add(decoder.decode(toChange(records.get(i))));
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

    /** The record in the table's own attribute values. */
    public static ChangeRecord toChange(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord body = record.getDynamodb();
        if (body == null || record.getEventName() == null) {
            throw new IllegalArgumentException("stream record " + record.getEventID() + " has no change");
        }
        return new ChangeRecord(
                record.getEventID(),
                body.getSequenceNumber(),
                ChangeRecord.Kind.valueOf(record.getEventName()),
                item(body.getKeys()),
                item(body.getNewImage()),
                item(body.getOldImage()));
    }

    private static Map<String, AttributeValue> item(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> item) {
        if (item == null) {
            return Map.of();
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, value(value)));
        return out;
    }

    private static AttributeValue value(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB().duplicate()));
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(item(v.getM()));
        }
        if (v.getL() != null) {
            return AttributeValue.fromL(v.getL().stream().map(StreamBatchProcessor::value).toList());
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        if (v.getBS() != null) {
            return AttributeValue.fromBs(v.getBS().stream().map(b -> SdkBytes.fromByteBuffer(b.duplicate())).toList());
        }
        return AttributeValue.fromNul(true);
    }
}
