package dev.glint.fanoutworker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.QueueMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FanoutWorkerHandlerTest {

    @Test
    void aFanoutJobIsDecodedForTheUseCase() {
        List<dev.glint.shared.messages.QueueMessage> jobs = new ArrayList<>();
        var handler = new FanoutWorkerHandler(FanoutWorkerComposition.of((job, delivery) -> jobs.add(job)));

        SQSBatchResponse response = handler.handleRequest(SampleEvents.load("sqs/fanout-job.json", SQSEvent.class),
                LocalContext.forTest("fanout-worker"));

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of(FanoutJob.firstPage("01JD3X9K2M4N5P6Q7R8S9T0V1W", "6f1c3a5e-2b7d-4c8e-9f10-aa11bb22cc33")), jobs);
    }

    @Test
    void aMediaJobOnTheFanoutQueueIsRefused() {
        var handler = new FanoutWorkerHandler(FanoutWorkerComposition.of((job, delivery) -> {
            throw new AssertionError("a media job must not reach the fan-out");
        }));

        SQSBatchResponse response = handler.handleRequest(SampleEvents.load("sqs/media-job.json", SQSEvent.class),
                LocalContext.forTest("fanout-worker"));

        assertEquals(1, response.getBatchItemFailures().size());
        assertEquals("059f36b4-87a3-44ab-83d2-661975830a7d", response.getBatchItemFailures().get(0).getItemIdentifier());
    }
}
