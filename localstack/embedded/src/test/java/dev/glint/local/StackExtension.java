package dev.glint.local;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.BufferedReader;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The one way an integration test gets an embedded stack, as Testcontainers gives containers:
 * register it as a static field, and the class's stack starts before its first test and stops after
 * its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1));
 * @StackExtension.Inject
 * private static EmbeddedStack stack;     // and/or an ApiClient: set before the class's @BeforeAll methods
 * }</pre>
 *
 * Every stack it starts listens on a free port with resource names unique to the test class, so
 * classes never share state. A test that needs stacks of its own (restarts on one data folder, two
 * stacks to compare, a stack in a child JVM it can kill) asks the extension for them with
 * {@link #start} or {@link #startInChildJvm}; whatever it leaves running is stopped after the class.
 */
public final class StackExtension implements BeforeAllCallback, AfterAllCallback {

    /** Marks a static field of the test class, of type {@link EmbeddedStack} or {@link ApiClient}, to receive the class's stack. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private final UnaryOperator<EmbeddedStack.Options> classOptions;
    private final boolean perClass;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private String prefix;
    private EmbeddedStack stack;
    private ApiClient api;

    private StackExtension(UnaryOperator<EmbeddedStack.Options> classOptions, boolean perClass) {
        this.classOptions = classOptions;
        this.perClass = perClass;
    }

    /** One stack for the test class, with these changes to the defaults. */
    public static StackExtension perClass(UnaryOperator<EmbeddedStack.Options> options) {
        return new StackExtension(options, true);
    }

    /** One stack for the test class, with the defaults. */
    public static StackExtension perClass() {
        return perClass(UnaryOperator.identity());
    }

    /** No stack for the class: its tests start their own with {@link #start} or {@link #startInChildJvm}. */
    public static StackExtension onDemand() {
        return new StackExtension(UnaryOperator.identity(), false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        prefix = "it-" + context.getRequiredTestClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 6);
        if (perClass) {
            stack = start(classOptions);
            api = new ApiClient(stack.apiEndpoint());
            inject(context.getRequiredTestClass());
        }
    }

    private void inject(Class<?> testClass) throws IllegalAccessException {
        for (Field field : testClass.getDeclaredFields()) {
            if (!field.isAnnotationPresent(Inject.class)) {
                continue;
            }
            if (!Modifier.isStatic(field.getModifiers())) {
                throw new IllegalStateException(field + " must be static: the stack is the class's");
            }
            field.setAccessible(true);
            if (field.getType() == EmbeddedStack.class) {
                field.set(null, stack);
            } else if (field.getType() == ApiClient.class) {
                field.set(null, api);
            } else {
                throw new IllegalStateException(field + " is neither an EmbeddedStack nor an ApiClient");
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // Stopping is best effort: a stack a test closed itself is already stopped.
            }
        }
        stack = null;
        api = null;
    }

    /** The class's stack. */
    public EmbeddedStack stack() {
        return Objects.requireNonNull(stack, "no stack for this class: register StackExtension.perClass(...)");
    }

    /** An API client for the class's stack. */
    public ApiClient api() {
        stack();
        return api;
    }

    /**
     * The system property that runs every stack of the test JVM in template mode, from the synthesized
     * template it names (the build's {@code template-mode} Failsafe run sets it to the dev stage's).
     */
    public static final String TEMPLATE_PROPERTY = "glint.template";

    /**
     * What every stack of this extension starts from: the defaults on a free port, named for the
     * class, in template mode when {@value #TEMPLATE_PROPERTY} is set.
     */
    public EmbeddedStack.Options options() {
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults().withGatewayPort(0).withPrefix(prefix);
        String template = System.getProperty(TEMPLATE_PROPERTY, "");
        return template.isBlank() ? options : options.withTemplate(DevTemplate.resolve(Path.of(template)));
    }

    /**
     * Starts another stack, from {@link #options()} changed by {@code customize}. The caller may
     * close it (to restart on the same data folder); otherwise it stops after the class.
     */
    public EmbeddedStack start(UnaryOperator<EmbeddedStack.Options> customize) throws Exception {
        EmbeddedStack started = EmbeddedStack.start(customize.apply(options()));
        this.started.push(started);
        return started;
    }

    /** Starts another stack with {@link #options()} as they are. */
    public EmbeddedStack start() throws Exception {
        return start(UnaryOperator.identity());
    }

    /**
     * A stack in a child JVM ({@link CrashableStack}) on a data folder, which the test can kill with
     * SIGKILL; {@code pause} freezes one function at a known point (see {@link CrashableStack}).
     */
    public ChildStack startInChildJvm(Path data, int port, String pause) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), CrashableStack.class.getName(),
                data.toString(), Integer.toString(port), pause).redirectErrorStream(true);
        Process process = builder.start();
        ChildStack child = new ChildStack(process);
        started.push(child);
        child.awaitReady(data);
        return child;
    }

    /** A stack running in a child JVM: its API, its services' clients, where it paused, and SIGKILL. */
    public static final class ChildStack implements AutoCloseable {
        private final Process process;
        private final CompletableFuture<String> ready = new CompletableFuture<>();
        private final CompletableFuture<String> paused = new CompletableFuture<>();
        private ApiClient api;
        private GlintConfig config;
        private AwsClients clients;

        private ChildStack(Process process) {
            this.process = process;
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("READY ")) {
                            ready.complete(line.substring(6));
                        } else if (line.startsWith("PAUSED ")) {
                            paused.complete(line.substring(7));
                        } else if (!ready.isDone()) {
                            seen.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // the child was killed
                }
                ready.completeExceptionally(new AssertionError("the child stack did not start:\n" + seen));
            }, "child-stack-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void awaitReady(Path data) throws Exception {
            String endpoint = ready.get(120, TimeUnit.SECONDS);
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : Files.readAllLines(data.resolve("stack.env"))) {
                if (!entry.startsWith("#") && entry.contains("=")) {
                    env.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
                }
            }
            config = GlintConfig.fromEnv(env);
            clients = new AwsClients(config, StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))));
            api = new ApiClient(URI.create(endpoint));
        }

        public ApiClient api() {
            return api;
        }

        public GlintConfig config() {
            return config;
        }

        /** Clients for the child's services, as the stack's own clients are built. */
        public AwsClients clients() {
            return clients;
        }

        /** The pause point the child reached, once it has. */
        public String awaitPause(long seconds) throws Exception {
            return paused.get(seconds, TimeUnit.SECONDS);
        }

        /** SIGKILL: no shutdown hook runs, nothing is flushed or checkpointed on the way out. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the child stack did not die");
            }
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }
}
