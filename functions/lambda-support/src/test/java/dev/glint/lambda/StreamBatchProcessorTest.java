package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.stream.ChangeRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamBatchProcessorTest {

    private static List<String> failed(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void recordsArriveInOrderAsPlainValues() {
        List<ChangeRecord> seen = new ArrayList<>();
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);

        StreamsEventResponse response = new StreamBatchProcessor(seen::add).process(event);

        assertEquals(List.of(), failed(response));
        assertEquals(2, seen.size());
        ChangeRecord insert = seen.get(0);
        assertEquals(ChangeRecord.Kind.INSERT, insert.kind());
        assertEquals("111000000000000000001", insert.sequenceNumber());
        assertEquals("alice", insert.newImage().get("handle"));
        assertEquals(new BigDecimal("0"), insert.newImage().get("followers"));
        assertEquals(false, insert.newImage().get("verified"));
        assertEquals(Set.of("travel", "food"), insert.newImage().get("tags"));
        assertEquals(java.util.Map.of(), insert.oldImage());
        assertEquals(ChangeRecord.Kind.MODIFY, seen.get(1).kind());
        assertEquals(new BigDecimal("0"), seen.get(1).oldImage().get("followers"));
    }

    @Test
    void theFirstFailureIsReportedAndNothingAfterItIsApplied() {
        List<String> applied = new ArrayList<>();
        DynamodbEvent event = SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class);

        StreamsEventResponse response = new StreamBatchProcessor(record -> {
            if (record.kind() == ChangeRecord.Kind.INSERT) {
                throw new IllegalStateException("rollup table throttled");
            }
            applied.add(record.eventId());
        }).process(event);

        assertEquals(List.of("111000000000000000001"), failed(response));
        assertEquals(List.of(), applied);
    }

    @Test
    void aRecordWithoutAChangeIsReportedAsFailed() {
        DynamodbEvent event = SampleEvents.load("dynamodb/record-without-change.json", DynamodbEvent.class);
        List<ChangeRecord> seen = new ArrayList<>();

        StreamsEventResponse response = new StreamBatchProcessor(seen::add).process(event);

        assertEquals(1, response.getBatchItemFailures().size());
        assertEquals(List.of(), seen);
    }
}
