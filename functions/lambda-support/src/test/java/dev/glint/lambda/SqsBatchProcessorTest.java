package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageConsumer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqsBatchProcessorTest {

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void onlyThePoisonMessageOfABatchIsReportedAsFailed() {
        List<MediaJob> handled = new ArrayList<>();
        var processor = new SqsBatchProcessor<>(MediaJob.class, (job, delivery) -> handled.add(job));
        SQSEvent event = SampleEvents.load("sqs/media-batch-with-poison.json", SQSEvent.class);

        SQSBatchResponse response = processor.process(event);

        assertEquals(List.of("2b3c4d5e-0000-4000-8000-000000000002"), failedIds(response));
        assertEquals(2, handled.size());
        assertEquals("01JD3X9K2M4N5P6Q7R8S9T0V1W", handled.get(0).postId());
    }

    @Test
    void aMessageOfAnUnknownVersionIsRefusedNotHalfApplied() {
        List<MediaJob> handled = new ArrayList<>();
        var processor = new SqsBatchProcessor<>(MediaJob.class, (job, delivery) -> handled.add(job));
        SQSEvent event = SampleEvents.load("sqs/media-job-unknown-version.json", SQSEvent.class);

        assertEquals(List.of("1a2b3c4d-0000-4000-8000-000000000002"), failedIds(processor.process(event)));
        assertEquals(List.of(), handled);
    }

    @Test
    void aUseCaseFailureFailsOnlyItsMessageAndSeesTheReceiveCount() {
        List<Integer> receiveCounts = new ArrayList<>();
        MessageConsumer<MediaJob> failing = (job, delivery) -> {
            receiveCounts.add(delivery.receiveCount());
            throw new IllegalStateException("storage unavailable");
        };
        SQSEvent event = SampleEvents.load("sqs/media-job.json", SQSEvent.class);

        SQSBatchResponse response = new SqsBatchProcessor<>(MediaJob.class, failing).process(event);

        assertEquals(List.of("059f36b4-87a3-44ab-83d2-661975830a7d"), failedIds(response));
        assertEquals(List.of(1), receiveCounts);
    }

    @Test
    void onAFifoQueueEverythingAfterTheFirstFailureIsRetriedToKeepOrder() {
        List<String> handled = new ArrayList<>();
        SQSEvent event = SampleEvents.load("sqs/media-batch-with-poison.json", SQSEvent.class);
        event.getRecords().forEach(r -> r.setEventSourceArn(r.getEventSourceArn() + ".fifo"));

        SQSBatchResponse response = new SqsBatchProcessor<>(MediaJob.class,
                (job, delivery) -> handled.add(delivery.messageId())).process(event);

        assertEquals(List.of("2b3c4d5e-0000-4000-8000-000000000002", "2b3c4d5e-0000-4000-8000-000000000003"), failedIds(response));
        assertEquals(List.of("2b3c4d5e-0000-4000-8000-000000000001"), handled);
    }

    @Test
    void anEmptyBatchSucceeds() {
        var processor = new SqsBatchProcessor<>(MediaJob.class, (job, delivery) -> {
            throw new AssertionError("no message to handle");
        });
        assertEquals(List.of(), failedIds(processor.process(new SQSEvent())));
    }
}
