package dev.glint.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Runs in a fresh JVM beside one function jar, as the Lambda runtime would: loads the handler class,
 * constructs it (init), and invokes it once: a stream handler with the event file's bytes, any other
 * handler with the event deserialized by the runtime's own serializers, then prints when each step ended (epoch milliseconds, comparable with the launcher's
 * clock) and how many classes were loaded. It depends only on the jar under test, the Lambda
 * serialization library and the JDK, so it lives in a jar of its own (class-data sharing archives
 * accept jars only).
 */
public final class ColdStartRunner {

    static final String MARKER = "GLINT-COLDSTART";

    private ColdStartRunner() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.currentTimeMillis();
        String handlerName = args[0];
        Path eventFile = Path.of(args[1]);
        String function = args[2];
        ClassLoader loader = ColdStartRunner.class.getClassLoader();
        Class<?> handlerClass = Class.forName(handlerName, true, loader);
        Object handler = handlerClass.getConstructor().newInstance();
        long init = System.currentTimeMillis();
        String requestId = UUID.randomUUID().toString();
        Object context = Proxy.newProxyInstance(loader, new Class<?>[]{Context.class}, (proxy, method, methodArgs) -> {
            switch (method.getName()) {
                case "getAwsRequestId":
                    return requestId;
                case "getFunctionName":
                    return function;
                case "getFunctionVersion":
                    return "$LATEST";
                case "getLogGroupName":
                    return "/aws/lambda/" + function;
                case "getLogStreamName":
                    return "bench";
                case "getInvokedFunctionArn":
                    return "arn:aws:lambda:us-east-1:000000000000:function:" + function;
                case "getRemainingTimeInMillis":
                    return 60_000;
                case "getMemoryLimitInMB":
                    return 1024;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == methodArgs[0];
                case "toString":
                    return "bench context";
                default:
                    return null;
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler streaming) {
            // As the runtime calls a stream handler: the event's bytes in, the response's bytes out.
            try (InputStream in = Files.newInputStream(eventFile)) {
                streaming.handleRequest(in, out, (Context) context);
            }
        } else {
            Method handle = handleRequest(handlerClass);
            Object event;
            try (InputStream in = Files.newInputStream(eventFile)) {
                event = serializer(handle.getParameterTypes()[0], loader).fromJson(in);
            }
            Object result = handle.invoke(handler, event, context);
            serializer(handle.getReturnType(), loader).toJson(result, out);
        }
        long done = System.currentTimeMillis();

        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        String response = out.toString(StandardCharsets.UTF_8).replace('\n', ' ');
        System.out.println(MARKER + " main=" + main + " init=" + init + " done=" + done + " classes=" + classes
                + " response=" + response);
        System.out.flush();
        // Lambda freezes the environment after the response; here the JVM just ends (and writes a CDS archive if asked).
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
        if (type.getName().startsWith("com.amazonaws.services.lambda.runtime.events.")) {
            return (PojoSerializer) LambdaEventSerializers.serializerFor(type, loader);
        }
        return (PojoSerializer) JacksonFactory.getInstance().getSerializer(type);
    }

    private static Method handleRequest(Class<?> handlerClass) {
        for (Method method : handlerClass.getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()
                    && method.getParameterTypes()[1].equals(Context.class)) {
                return method;
            }
        }
        throw new IllegalStateException(handlerClass + " has no handleRequest(event, Context)");
    }
}
