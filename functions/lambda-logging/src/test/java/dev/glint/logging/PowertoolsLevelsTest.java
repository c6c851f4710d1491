package dev.glint.logging;

import com.amazonaws.services.lambda.runtime.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.logging.internal.LoggingManagerRegistry;

import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SLF4J and Powertools find this backend on the classpath, and Powertools' fields and levels reach it. */
class PowertoolsLevelsTest {

    @AfterEach
    void defaults() {
        LogLevels.set(null);
        MDC.clear();
    }

    @Test
    void slf4jAndPowertoolsFindThisBackend() {
        assertInstanceOf(JsonLogger.class, LoggerFactory.getLogger("dev.glint.any"));
        assertInstanceOf(PowertoolsLevels.class, LoggingManagerRegistry.getLoggingManager());
    }

    @Test
    void glintLogsFromInfoAndLibrariesFromWarnUntilALevelIsSet() {
        Logger glint = LoggerFactory.getLogger("dev.glint.api.ApiHandler");
        Logger library = LoggerFactory.getLogger("software.amazon.awssdk.core");
        assertTrue(glint.isInfoEnabled());
        assertFalse(glint.isDebugEnabled());
        assertFalse(library.isInfoEnabled());
        assertTrue(library.isWarnEnabled());

        LoggingManagerRegistry.getLoggingManager().setLogLevel(Level.DEBUG);
        assertTrue(glint.isDebugEnabled());
        assertTrue(library.isInfoEnabled());
        assertEquals(Level.DEBUG, LoggingManagerRegistry.getLoggingManager().getLogLevel(library));
    }

    @Test
    void powertoolsPutsTheLambdaFieldsWhereTheWriterReadsThem() throws Exception {
        Context context = (Context) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getFunctionName": return "api";
                        case "getAwsRequestId": return "req-42";
                        case "getMemoryLimitInMB": return 1024;
                        case "getFunctionVersion": return "7";
                        case "getInvokedFunctionArn": return "arn:aws:lambda:eu-west-1:1:function:api";
                        default: return null;
                    }
                });
        PowertoolsLogging.initializeLogging(context);
        String line = new JsonLogWriter(MDC::getMDCAdapter, System.out)
                .format(Level.INFO, "dev.glint.x", "m", null, null, java.time.Instant.now());
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertEquals("api", node.get("function_name").asText(), line);
        assertEquals("req-42", node.get("function_request_id").asText(), line);
        assertEquals(1024, node.get("function_memory_size").asInt(), line);
        assertTrue(node.get("cold_start").isBoolean(), line);
    }
}
