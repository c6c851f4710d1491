package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Lambda context of an invocation outside Lambda: by the local stack (a fresh request id and a
 * deadline per invocation) and by handler tests (a fixed version and request id). Lambda gives the
 * deployed functions their own.
 */
public final class LocalContext implements Context {

    /** The region and account the local stack pretends to be in. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    private final String functionName;
    private final String functionVersion;
    private final String requestId;
    private final long deadlineMillis;

    private LocalContext(String functionName, String functionVersion, String requestId, long timeoutMillis) {
        this.functionName = functionName;
        this.functionVersion = functionVersion;
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
    }

    /** One invocation of the function's {@code $LATEST}, with a fresh request id, that times out after {@code timeoutMillis}. */
    public static LocalContext forInvocation(String functionName, long timeoutMillis) {
        return new LocalContext(functionName, "$LATEST", UUID.randomUUID().toString(), timeoutMillis);
    }

    /** An invocation of version 7 with request id {@code test-request-1} and 30 s to run, for handler tests. */
    public static LocalContext forTest(String functionName) {
        return new LocalContext(functionName, "7", "test-request-1", 30_000);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
