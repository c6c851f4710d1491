package dev.glint.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectorTest {

    private static ExecutionAttributes call(String service, String operation) {
        return new ExecutionAttributes().putAttribute(SdkExecutionAttribute.SERVICE_NAME, service)
                .putAttribute(SdkExecutionAttribute.OPERATION_NAME, operation);
    }

    @Test
    void failsAboutTheConfiguredShareWithErrorsTheSdkRetries() {
        FaultInjector faults = new FaultInjector(0.05, Duration.ZERO, 9);
        int throttled = 0;
        int serverErrors = 0;
        for (int i = 0; i < 10_000; i++) {
            try {
                faults.beforeTransmission(null, call(i % 2 == 0 ? "DynamoDb" : "Sqs", "PutItem"));
            } catch (AwsServiceException e) {
                if (e.isThrottlingException()) {
                    throttled++;
                } else {
                    assertTrue(e.statusCode() >= 500, "a 5xx: " + e.statusCode());
                    serverErrors++;
                }
            }
        }
        assertEquals(faults.totalInjected(), throttled + serverErrors);
        assertEquals(10_000, faults.totalAttempts());
        assertTrue(faults.totalInjected() > 400 && faults.totalInjected() < 600, "injected " + faults.totalInjected());
        assertTrue(throttled > 150 && serverErrors > 150, throttled + " throttled, " + serverErrors + " 5xx");
    }

    @Test
    void leavesOtherServicesAndAZeroRateAlone() {
        FaultInjector none = new FaultInjector(0, Duration.ZERO, 9);
        for (int i = 0; i < 1_000; i++) {
            none.beforeTransmission(null, call("DynamoDb", "GetItem"));
        }
        assertEquals(0, none.totalInjected());

        FaultInjector faults = new FaultInjector(0.99, Duration.ZERO, 9);
        faults.beforeTransmission(null, call("DynamoDbStreams", "GetRecords"));
        assertEquals(0, faults.totalAttempts());
    }

    @Test
    void aRateOfOneOrMoreIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FaultInjector(1, Duration.ZERO, 9));
        assertThrows(IllegalArgumentException.class, () -> new FaultInjector(-0.1, Duration.ZERO, 9));
    }
}
