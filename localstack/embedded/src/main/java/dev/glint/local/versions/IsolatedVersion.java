package dev.glint.local.versions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One published version of the {@code api} function, running as Lambda runs it: its own shaded jar in
 * a class loader of its own whose parent is the platform class loader, so nothing of the stack's
 * classpath (its build of the same classes included) leaks in, and two versions share no class and no
 * static state. The handler is built from the jar's own classes with the environment given, the way
 * the jar's entry point ({@code ApiLambda}) builds it from Lambda's environment: the composition from
 * the environment ({@code ApiComposition.fromEnvironment}), {@code ApiHandler} over it, and each
 * invocation reads the event's JSON and writes the response's JSON ({@code HttpEvents}).
 *
 * <p>A fault switch, checked at every AWS call the version makes, lets a rehearsal make a share of
 * its requests fail inside the handler: the call throws, the api's own error path answers 500 and its
 * metric line counts the 5xx for this version, and the request writes nothing.
 */
public final class IsolatedVersion implements AutoCloseable {

    /** The api's classes this runs; the jar holds them. */
    static final String COMPOSITION = "dev.glint.api.ApiComposition";
    static final String HANDLER = "dev.glint.api.ApiHandler";
    static final String EVENTS = "dev.glint.api.HttpEvents";

    private final String functionName;
    private final String version;
    private final URLClassLoader loader;
    private final Object handler;
    private final Method read;
    private final Method handle;
    private final Method write;
    private final Class<?> contextType;
    private final int timeoutMillis;
    private final double faultShare;
    private final java.util.Random random;
    /** Whether the invocation running on this thread is one the fault share picked. */
    private final ThreadLocal<Boolean> faultyInvocation = new ThreadLocal<>();

    /**
     * @param env         the function's environment (its configuration and the local endpoints)
     * @param accessKey   the credentials its clients sign with
     * @param faultShare  the share of invocations whose AWS calls fail (0: none), drawn from {@code random}
     */
    public IsolatedVersion(VersionStore.Version published, String functionName, Map<String, String> env, String accessKey,
                           String secretKey, double faultShare, java.util.Random random, int timeoutMillis) throws Exception {
        VersionOutput.install();
        this.functionName = functionName;
        this.version = published.version();
        this.timeoutMillis = timeoutMillis;
        this.faultShare = faultShare;
        this.random = random;
        this.loader = new URLClassLoader("glint-" + published.function() + "-v" + version,
                new URL[]{published.jar().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> configType = loader.loadClass("dev.glint.shared.config.GlintConfig");
            Class<?> clientsType = loader.loadClass("dev.glint.shared.aws.AwsClients");
            Class<?> providerType = loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider");
            Class<?> basicType = loader.loadClass("software.amazon.awssdk.auth.credentials.AwsBasicCredentials");
            Class<?> staticType = loader.loadClass("software.amazon.awssdk.auth.credentials.StaticCredentialsProvider");
            Class<?> credentialsType = loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentials");
            Class<?> interceptorType = loader.loadClass("software.amazon.awssdk.core.interceptor.ExecutionInterceptor");
            Object credentials = staticType.getMethod("create", credentialsType).invoke(null,
                    basicType.getMethod("create", String.class, String.class).invoke(null, accessKey, secretKey));
            InvocationHandler faults = (proxy, method, args) -> {
                if (method.getName().equals("beforeExecution") && Boolean.TRUE.equals(faultyInvocation.get())) {
                    throw new IllegalStateException("rehearsal fault: this request of version " + version + " fails");
                }
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                return switch (method.getName()) {
                    case "toString" -> "rehearsal faults of version " + version;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                };
            };
            Object interceptor = Proxy.newProxyInstance(loader, new Class<?>[]{interceptorType}, faults);
            var clientsConstructor = clientsType.getConstructor(configType, providerType, List.class);
            Function<Object, Object> clients = config -> {
                try {
                    return clientsConstructor.newInstance(config, credentials, List.of(interceptor));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot build version " + version + "'s AWS clients", e);
                }
            };
            Class<?> compositionType = loader.loadClass(COMPOSITION);
            Object composition = compositionType.getMethod("fromEnvironment", Map.class, Function.class).invoke(null, Map.copyOf(env), clients);
            Class<?> handlerType = loader.loadClass(HANDLER);
            this.handler = handlerType.getConstructor(compositionType).newInstance(composition);
            this.contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
            Class<?> eventsType = loader.loadClass(EVENTS);
            this.read = eventsType.getDeclaredMethod("read", InputStream.class);
            this.read.setAccessible(true);
            Class<?> eventType = loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
            Class<?> responseType = loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse");
            this.write = eventsType.getDeclaredMethod("write", responseType, OutputStream.class);
            this.write.setAccessible(true);
            this.handle = handlerType.getMethod("handleRequest", eventType, contextType);
        } catch (InvocationTargetException e) {
            loader.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (Exception | Error e) {
            loader.close();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    public String version() {
        return version;
    }

    /** The class loader the version runs in (tests check what it can see). */
    ClassLoader classLoader() {
        return loader;
    }

    /**
     * One invocation: the event's JSON in, the response's JSON out; what the version prints (its log
     * and metric lines) goes to {@code output}.
     *
     * @throws InvocationTargetException when the handler throws (an invocation error, as Lambda counts it)
     */
    public byte[] invoke(byte[] event, Consumer<String> output) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        boolean faulty;
        synchronized (random) {
            faulty = faultShare > 0 && random.nextDouble() < faultShare;
        }
        faultyInvocation.set(faulty);
        try {
            return VersionOutput.capture(output, () -> {
                Object context = context();
                Object request = read.invoke(null, new ByteArrayInputStream(event));
                Object response = handle.invoke(handler, request, context);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                write.invoke(null, response, out);
                return out.toByteArray();
            });
        } finally {
            faultyInvocation.remove();
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private Object context() {
        String requestId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        return Proxy.newProxyInstance(loader, new Class<?>[]{contextType}, (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getFunctionName" -> functionName;
            case "getFunctionVersion" -> version;
            case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:000000000000:function:" + functionName + ":live";
            case "getLogGroupName" -> "/aws/lambda/" + functionName;
            case "getLogStreamName" -> "local-v" + version;
            case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
            case "getMemoryLimitInMB" -> 1024;
            case "toString" -> "context of " + functionName + ":" + version;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> null;
        });
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }
}
