package dev.glint.streamprocessor;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.lambda.testing.TestContext;
import dev.glint.shared.stream.ChangeRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamProcessorHandlerTest {

    @Test
    void everyRecordOfABatchReachesTheUseCaseInOrder() {
        List<String> sequence = new ArrayList<>();
        var handler = new StreamProcessorHandler(record -> sequence.add(record.sequenceNumber()));

        StreamsEventResponse response = handler.handleRequest(
                SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class), TestContext.of("stream-processor"));

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of("111000000000000000001", "111000000000000000002"), sequence);
    }

    @Test
    void aRecordThatCannotBeReadIsReportedSoTheBatchIsRetriedFromIt() {
        List<ChangeRecord> seen = new ArrayList<>();
        StreamsEventResponse response = new StreamProcessorHandler(seen::add).handleRequest(
                SampleEvents.load("dynamodb/record-without-change.json", DynamodbEvent.class), TestContext.of("stream-processor"));

        assertEquals(1, response.getBatchItemFailures().size());
        assertEquals(List.of(), seen);
    }
}
