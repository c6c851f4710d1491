package dev.glint.mediaworker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.QueueMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MediaWorkerHandlerTest {

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void aMediaJobReachesThePipelineTyped() {
        List<QueueMessage> jobs = new ArrayList<>();
        var handler = new MediaWorkerHandler(MediaWorkerComposition.of((job, delivery) -> jobs.add(job)));

        SQSBatchResponse response = handler.handleRequest(SampleEvents.load("sqs/media-job.json", SQSEvent.class),
                LocalContext.forTest("media-worker"));

        assertEquals(List.of(), failed(response));
        assertEquals(List.of(MediaJob.of("01JD3X9K2M4N5P6Q7R8S9T0V1W", "uploads/6f1c3a5e/01JD3X9K2M.jpg")), jobs);
    }

    @Test
    void aPipelineFailureFailsOnlyThatMessageSoItIsRetriedThenDeadLettered() {
        var handler = new MediaWorkerHandler(MediaWorkerComposition.of((job, delivery) -> {
            throw new IllegalStateException("bucket unavailable");
        }));

        SQSBatchResponse response = handler.handleRequest(SampleEvents.load("sqs/media-job.json", SQSEvent.class),
                LocalContext.forTest("media-worker"));

        assertEquals(List.of("059f36b4-87a3-44ab-83d2-661975830a7d"), failed(response));
    }

    @Test
    void aFanoutJobOnTheMediaQueueIsRefused() {
        var handler = new MediaWorkerHandler(MediaWorkerComposition.of((job, delivery) -> {
            throw new AssertionError("a fan-out job must not reach the media pipeline");
        }));

        SQSBatchResponse response = handler.handleRequest(SampleEvents.load("sqs/fanout-job.json", SQSEvent.class),
                LocalContext.forTest("media-worker"));

        assertEquals(List.of("3c4d5e6f-0000-4000-8000-000000000001"), failed(response));
    }
}
