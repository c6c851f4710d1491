package dev.glint.local;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.resources.GlintResources;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./glint invoke FUNCTION EVENT.json}: runs one function's shaded jar the way Lambda does, in
 * a class loader of its own, with the event file deserialized by the Lambda runtime's own event
 * serializers, and prints the response. The function reads its configuration from this process's
 * environment ({@code ./glint} exports the running stack's {@code stack.env}).
 */
public final class Invoke {

    private Invoke() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ./glint invoke FUNCTION EVENT.json   (functions: "
                    + GlintResources.FUNCTIONS.stream().map(GlintResources.FunctionSpec::name).toList() + ")");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("glint.root", "."));
        try {
            System.out.println(invoke(root, args[0], Path.of(args[1])));
        } catch (FunctionError e) {
            // What Lambda's Invoke answers for an unhandled error (with X-Amz-Function-Error: Unhandled).
            System.out.println(e.payload());
            System.exit(1);
        }
    }

    /** The function threw: its error as Lambda reports it ({@code errorMessage}, {@code errorType}). */
    static final class FunctionError extends Exception {
        private final String payload;

        FunctionError(String function, Throwable error) {
            super(function + " failed: " + error, error);
            ObjectNode body = new ObjectMapper().createObjectNode();
            body.put("errorMessage", String.valueOf(error.getMessage()));
            body.put("errorType", error.getClass().getName());
            this.payload = body.toString();
        }

        String payload() {
            return payload;
        }
    }

    /**
     * Invokes the function's handler with the event file and returns the response as JSON.
     *
     * @throws FunctionError if the handler threw
     */
    static String invoke(Path root, String function, Path eventFile) throws Exception {
        GlintResources.FunctionSpec spec = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(function))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no function " + function + "; known: "
                        + GlintResources.FUNCTIONS.stream().map(GlintResources.FunctionSpec::name).toList()));
        Path jar = root.resolve(spec.jarPath());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with ./mvnw -DskipTests package");
        }
        if (!Files.isRegularFile(eventFile)) {
            throw new IllegalArgumentException("no event file " + eventFile);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Class<?> handlerClass = loader.loadClass(spec.handlerClass());
                Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
                Object handler = handlerClass.getConstructor().newInstance();
                LocalContext local = LocalContext.forInvocation(function, spec.timeoutSeconds() * 1000L);
                Object context = Proxy.newProxyInstance(loader, new Class<?>[]{contextType},
                        (proxy, method, methodArgs) -> method.getName().equals("getLogger")
                                ? null
                                : LocalContext.class.getMethod(method.getName()).invoke(local));
                Method stream = streamHandleRequest(handlerClass, contextType);
                if (stream != null) {
                    // The entry point Lambda calls: the event's bytes in, the response's bytes out.
                    ByteArrayOutputStream response = new ByteArrayOutputStream();
                    try (InputStream in = Files.newInputStream(eventFile)) {
                        stream.invoke(handler, in, response, context);
                    } catch (InvocationTargetException e) {
                        throw new FunctionError(function, e.getCause());
                    }
                    return response.toString(StandardCharsets.UTF_8);
                }
                Method handle = findHandleRequest(handlerClass, contextType);
                Object event = read(handle.getParameterTypes()[0], loader, eventFile);
                Object result;
                try {
                    result = handle.invoke(handler, event, context);
                } catch (InvocationTargetException e) {
                    throw new FunctionError(function, e.getCause());
                }
                return write(handle.getReturnType(), loader, result);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    /** {@code handleRequest(InputStream, OutputStream, Context)} of a stream handler, or null. */
    static Method streamHandleRequest(Class<?> handlerClass, Class<?> contextType) {
        try {
            return handlerClass.getMethod("handleRequest", InputStream.class, java.io.OutputStream.class, contextType);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Method findHandleRequest(Class<?> handlerClass, Class<?> contextType) {
        for (Method method : handlerClass.getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()
                    && method.getParameterTypes()[1].equals(contextType)) {
                return method;
            }
        }
        throw new IllegalStateException(handlerClass + " has no handleRequest(event, Context)");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object read(Class<?> type, ClassLoader loader, Path file) throws Exception {
        PojoSerializer serializer = LambdaEventSerializers.serializerFor(type, loader);
        try (InputStream in = Files.newInputStream(file)) {
            return serializer.fromJson(in);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String write(Class<?> type, ClassLoader loader, Object value) {
        PojoSerializer serializer = LambdaEventSerializers.serializerFor(type, loader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
