package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.aws.ChangeRecord;
import dev.glint.shared.aws.StreamDecoder;
import dev.glint.shared.changes.TableChange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamBatchProcessorTest {

    private static final StreamDecoder DECODER = new StreamDecoder(Clock.systemUTC());

    private static List<String> failed(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void recordsKeepTheirOrderAndTheTablesAttributeValues() {
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);

        ChangeRecord insert = StreamBatchProcessor.toChange(event.getRecords().get(0));
        ChangeRecord modify = StreamBatchProcessor.toChange(event.getRecords().get(1));

        assertEquals(ChangeRecord.Kind.INSERT, insert.kind());
        assertEquals("111000000000000000001", insert.sequenceNumber());
        assertEquals(AttributeValue.fromS("alice"), insert.newImage().get("handle"));
        assertEquals(AttributeValue.fromN("0"), insert.newImage().get("followers"));
        assertEquals(AttributeValue.fromBool(false), insert.newImage().get("verified"));
        assertEquals(AttributeValue.fromSs(List.of("travel", "food")), insert.newImage().get("tags"));
        assertEquals(Map.of(), insert.oldImage());
        assertEquals(ChangeRecord.Kind.MODIFY, modify.kind());
        assertEquals(AttributeValue.fromN("0"), modify.oldImage().get("followers"));
    }

    @Test
    void everyRecordReachesTheUseCaseDecoded() {
        List<TableChange> seen = new ArrayList<>();
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);

        StreamsEventResponse response = new StreamBatchProcessor(DECODER, seen::add).process(event);

        assertEquals(List.of(), failed(response));
        assertEquals(List.of(new TableChange.Unrelated("c4ca4238a0b923820dcc509a6f75849b"),
                new TableChange.Unrelated("c81e728d9d4c2f636f067f89cc14862c")), seen, "profile items of no kind");
    }

    @Test
    void aFailureAtTheHeadOfTheBatchIsAnErrorSoTheEventSourceSplitsTheBatch() {
        // A report naming the first record would make Lambda retry the same batch whole, then discard all of it.
        List<String> applied = new ArrayList<>();
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);

        var error = assertThrows(StreamBatchProcessor.HeadOfBatchFailed.class, () -> new StreamBatchProcessor(DECODER, change -> {
            if (change.eventId().startsWith("c4ca")) {
                throw new IllegalStateException("rollup table throttled");
            }
            applied.add(change.eventId());
        }).process(event));

        assertTrue(error.getMessage().contains("c4ca4238a0b923820dcc509a6f75849b"), error.getMessage());
        assertEquals(List.of(), applied, "nothing after it is applied");
    }

    @Test
    void aFailureLaterInTheBatchIsReportedAndNothingAfterItIsApplied() {
        List<String> applied = new ArrayList<>();
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);

        StreamsEventResponse response = new StreamBatchProcessor(DECODER, change -> {
            if (change.eventId().startsWith("c81e")) {
                throw new IllegalStateException("rollup table throttled");
            }
            applied.add(change.eventId());
        }).process(event);

        assertEquals(List.of("111000000000000000002"), failed(response), "the rest of the batch is retried from it");
    }

    @Test
    void aRecordThatCannotBeReadFailsWhereItStands() {
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);
        // The second record becomes a like that lacks its post: an item of a known kind that cannot be read.
        var image = event.getRecords().get(1).getDynamodb().getNewImage();
        image.put("entity", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS("like"));
        image.put("userId", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS("fan"));
        List<TableChange> seen = new ArrayList<>();

        StreamsEventResponse response = new StreamBatchProcessor(DECODER, seen::add).process(event);

        assertEquals(List.of("111000000000000000002"), failed(response));
        assertEquals(1, seen.size(), "the record before it is applied");
    }

    @Test
    void aRecordWithoutAChangeIsReportedAsFailed() {
        DynamodbEvent event = SampleEvents.load("dynamodb/record-without-change.json", DynamodbEvent.class);
        List<TableChange> seen = new ArrayList<>();

        assertThrows(StreamBatchProcessor.HeadOfBatchFailed.class, () -> new StreamBatchProcessor(DECODER, seen::add).process(event));
        assertEquals(List.of(), seen);
    }
}
