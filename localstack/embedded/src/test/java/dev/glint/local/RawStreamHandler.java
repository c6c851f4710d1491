package dev.glint.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.shared.aws.ChangeRecord;

import java.util.List;
import java.util.function.Consumer;

/**
 * A stream handler for tests of the stream plumbing itself: each record, as the table wrote it, goes
 * to a consumer; the first that throws is reported, as the stream processor reports it, so the event
 * source retries from there.
 */
final class RawStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final Consumer<ChangeRecord> consumer;

    RawStreamHandler(Consumer<ChangeRecord> consumer) {
        this.consumer = consumer;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            try {
                consumer.accept(StreamBatchProcessor.toChange(record));
            } catch (RuntimeException e) {
                return StreamsEventResponse.builder().withBatchItemFailures(List.of(StreamsEventResponse.BatchItemFailure
                        .builder().withItemIdentifier(record.getDynamodb().getSequenceNumber()).build())).build();
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
    }
}
