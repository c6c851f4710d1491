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
 *
 * <p>A failure at the head of the batch is thrown instead ({@link HeadOfBatchFailed}). With
 * bisect-on-error, Lambda splits a batch at a reported record and retries the rest whole, so a
 * report naming the first record would retry the same batch until the retries run out and then
 * discard every record in it; a function error makes Lambda halve the batch instead, until the
 * failing record is alone and only it is given up (to the failure queue).
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
        if (failedAt == 0 && !records.isEmpty()) {
            throw new HeadOfBatchFailed(records.get(0).getEventID(), records.size());
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        if (failedAt > 0) {
            var failed = records.get(failedAt).getDynamodb();
            failures.add(StreamsEventResponse.BatchItemFailure.builder()
                    .withItemIdentifier(failed == null ? null : failed.getSequenceNumber()).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The first record of a batch failed: an error, so that the event source splits the batch. */
    public static final class HeadOfBatchFailed extends RuntimeException {
        HeadOfBatchFailed(String eventId, int size) {
            super("stream record " + eventId + " failed at the head of a batch of " + size
                    + "; the event source splits the batch (bisect-on-error) until it is alone", null, false, false);
        }
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
