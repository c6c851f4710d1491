package dev.glint.streamprocessor;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.changes.TableChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamProcessorHandlerTest {

    @Test
    void everyRecordOfABatchReachesTheUseCaseInOrder() {
        List<String> events = new ArrayList<>();
        var handler = new StreamProcessorHandler(StreamProcessorComposition.of(change -> events.add(change.eventId())));

        StreamsEventResponse response = handler.handleRequest(
                SampleEvents.load("dynamodb/insert-and-modify.json", DynamodbEvent.class), LocalContext.forTest("stream-processor"));

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of("c4ca4238a0b923820dcc509a6f75849b", "c81e728d9d4c2f636f067f89cc14862c"), events);
    }

    @Test
    void aRecordThatCannotBeReadAtTheHeadOfItsBatchFailsTheInvocationSoLambdaSplitsTheBatch() {
        List<TableChange> seen = new ArrayList<>();
        StreamProcessorHandler handler = new StreamProcessorHandler(StreamProcessorComposition.of(seen::add));
        DynamodbEvent event = SampleEvents.load("dynamodb/record-without-change.json", DynamodbEvent.class);

        assertThrows(StreamBatchProcessor.HeadOfBatchFailed.class,
                () -> handler.handleRequest(event, LocalContext.forTest("stream-processor")));
        assertEquals(List.of(), seen);
    }
}
