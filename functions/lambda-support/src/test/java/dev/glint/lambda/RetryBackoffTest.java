package dev.glint.lambda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryBackoffTest {

    @Test
    void retriesWaitLongerWithEachReceiveUpToFifteenMinutes() {
        assertEquals(5, RetryBackoff.delaySeconds(1, false));
        assertEquals(10, RetryBackoff.delaySeconds(2, false));
        assertEquals(20, RetryBackoff.delaySeconds(3, false));
        assertEquals(80, RetryBackoff.delaySeconds(5, false));
        assertEquals(900, RetryBackoff.delaySeconds(9, false));
        assertEquals(900, RetryBackoff.delaySeconds(40, false));
    }

    @Test
    void anUnreadableMessageComesBackAtOnceSoItReachesTheDeadLetterQueueQuickly() {
        assertEquals(0, RetryBackoff.delaySeconds(1, true));
        assertEquals(0, RetryBackoff.delaySeconds(4, true));
    }
}
