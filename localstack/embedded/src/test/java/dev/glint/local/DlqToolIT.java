package dev.glint.local;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./glint dlq}: a poison message is shown, then redriven to its queue, and nothing is lost. */
class DlqToolIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    @Test
    void aDeadLetteredMessageIsShownAndRedrivenToItsQueue() throws Exception {
        try (EmbeddedStack stack = STACKS.start(options -> options.withVisibilityTimeout(1))) {
            var sqs = stack.clients().sqs();
            String queue = stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName());
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody("{\"type\":\"feed.fanout\",\"v\":99}"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Dlq dlq = new Dlq(sqs, new PrintStream(printed, true, StandardCharsets.UTF_8));

            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (dlq.show(queue, 10) == 0) {
                assertTrue(System.nanoTime() < deadline, "the poison message never reached the dead-letter queue");
                Thread.sleep(500);
            }
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("\"v\":99"), printed.toString(StandardCharsets.UTF_8));
            assertEquals(stack.queueUrl(GlintResources.FANOUT_QUEUE.dlqLogicalName()), dlq.deadLetterQueue(queue));

            assertEquals(1, dlq.redrive(queue));
            // Redriven, it fails again and returns: nothing is dropped on the way.
            deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (dlq.show(queue, 10) == 0) {
                assertTrue(System.nanoTime() < deadline, "the redriven message was lost");
                Thread.sleep(500);
            }
        }
    }
}
