package dev.glint.bench;

import dev.glint.local.EmbeddedStack;
import dev.glint.shared.resources.GlintResources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Cold start: each function jar in a fresh JVM, from launch to its first handled event (init plus
 * one invocation against a running local stack), against the floor jar (same AWS clients, one
 * GetItem, nothing else) in the same run, interleaved so that the machine's noise falls on all alike.
 * Variants show what helps: C1 only ({@code -XX:TieredStopAtLevel=1}, Lambda's default for Java),
 * an AppCDS archive per jar, and both.
 */
final class ColdStart {

    static final double TARGET_RATIO = 1.3;
    static final long MAX_JAR_BYTES = 20_000_000L;
    static final String FLOOR = "floor";
    /** The floor as a stream handler, shown for comparison: the functions' entry points read their events themselves. */
    static final String STREAM_FLOOR = "floor-stream";

    /**
     * A jar to start and the event its first invocation handles.
     *
     * @param env added to the stack's environment for this jar's launches (tracing on, for the {@code +xray} targets)
     */
    record Target(String name, Path jar, String handlerClass, Path event, Map<String, String> env) {
        Target(String name, Path jar, String handlerClass, Path event) {
            this(name, jar, handlerClass, event, Map.of());
        }
    }

    /**
     * With {@code -Dglint.bench.tracing=true}, each function also starts as Lambda starts it with active
     * tracing: the X-Ray daemon's address set and a sampled trace header, so every AWS call of the first
     * invocation is traced (sent to a port nobody reads: UDP does not wait).
     */
    static final Map<String, String> TRACED = Map.of(
            "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000",
            "_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");

    /** A set of JVM options to compare. */
    record Variant(String name, boolean cds, List<String> options) {
    }

    /** One launch: wall time from the launcher's start of the process to the handler's first response. */
    record Launch(long totalMs, long jvmMs, long initMs, long invokeMs, long classes, String response) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("default", false, List.of()),
            new Variant("c1", false, List.of("-XX:TieredStopAtLevel=1")),
            new Variant("appcds", true, List.of()),
            new Variant("appcds+c1", true, List.of("-XX:TieredStopAtLevel=1")));

    private ColdStart() {
    }

    static Report run(Bench.Settings settings) throws Exception {
        int runs = Integer.getInteger("glint.bench.runs", settings.quick() ? 2 : 10);
        List<Variant> variants = variants(settings.quick(), System.getProperty("glint.bench.variants"));
        Path dir = settings.out().resolve("coldstart");
        Files.createDirectories(dir);
        Path runnerJar = runnerJar(dir);
        Path serialization = serializationJar(settings.root());

        Map<String, Map<String, List<Launch>>> launches = new LinkedHashMap<>();
        List<Target> targets;
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults().withGatewayPort(0)
                .withPrefix("bench-cold-" + UUID.randomUUID().toString().substring(0, 8)))) {
            Map<String, String> env = stack.functionEnvironment();
            targets = targets(settings, meEvent(settings, stack, dir));
            for (Target target : targets) {
                if (!Files.isRegularFile(target.jar())) {
                    throw new IllegalStateException(target.jar() + " is missing; build with ./mvnw -DskipTests package");
                }
            }
            // One untimed launch each: the stack's own first requests and the page cache are not the jar's cost.
            // It also lists the classes the jar loads (NAME.classes.txt), to see where a start goes.
            // The quick run skips it: it checks that everything works, its times mean nothing.
            for (Target target : settings.quick() ? List.<Target>of() : targets) {
                launch(target, List.of("-Xlog:class+load=info:file=" + dir.resolve(target.name() + ".classes.txt")),
                        runnerJar, serialization, env, dir);
            }
            if (variants.stream().anyMatch(Variant::cds)) {
                for (Target target : targets) {
                    Path archive = archive(dir, target);
                    Files.deleteIfExists(archive);
                    launch(target, List.of("-XX:ArchiveClassesAtExit=" + archive), runnerJar, serialization, env, dir);
                    if (!Files.isRegularFile(archive)) {
                        throw new IllegalStateException("no class-data sharing archive was written for " + target.name());
                    }
                }
            }
            for (int run = 0; run < runs; run++) {
                for (Variant variant : variants) {
                    for (Target target : targets) {
                        List<String> options = new ArrayList<>(variant.options());
                        if (variant.cds()) {
                            options.add("-XX:SharedArchiveFile=" + archive(dir, target));
                        }
                        Launch launch = launch(target, options, runnerJar, serialization, env, dir);
                        launches.computeIfAbsent(target.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(variant.name(), k -> new ArrayList<>()).add(launch);
                    }
                }
            }
        }
        return report(settings, targets, variants, launches, runs);
    }

    /**
     * The variants to run: all of them, the default and AppCDS+C1 for a quick run, or those named in
     * {@code -Dglint.bench.variants=default,c1} (with {@code -Dglint.bench.runs=N}, a quicker look while tuning).
     */
    private static List<Variant> variants(boolean quick, String names) {
        if (names == null || names.isBlank()) {
            return quick ? List.of(VARIANTS.get(0), VARIANTS.get(3)) : VARIANTS;
        }
        List<String> wanted = List.of(names.split(","));
        List<Variant> chosen = VARIANTS.stream().filter(v -> wanted.contains(v.name())).toList();
        if (chosen.size() != wanted.size()) {
            throw new IllegalArgumentException("glint.bench.variants: known variants are "
                    + VARIANTS.stream().map(Variant::name).toList() + ", got " + wanted);
        }
        return chosen;
    }

    private static Report report(Bench.Settings settings, List<Target> targets, List<Variant> variants,
                                 Map<String, Map<String, List<Launch>>> launches, int runs) throws IOException {
        Report report = new Report("coldstart", "Cold start: JVM launch to first handled event, median of " + runs
                + " fresh JVMs, against the floor jar (same clients, one GetItem)",
                List.of("jar", "variant", "MB", "classes", "median ms", "min-max ms", "init ms", "first call ms", "x floor"));
        boolean allWithin = true;
        String worst = "";
        double worstRatio = 0;
        for (Variant variant : variants) {
            double floor = Stats.median(totals(launches.get(FLOOR).get(variant.name())));
            for (Target target : targets) {
                List<Launch> sample = launches.get(target.name()).get(variant.name());
                double median = Stats.median(totals(sample));
                double ratio = median / floor;
                long size = Files.size(target.jar());
                double classes = Stats.median(sample.stream().map(Launch::classes).toList());
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("jar", target.name());
                record.put("variant", variant.name());
                record.put("jarBytes", size);
                record.put("classesLoaded", (long) classes);
                record.put("medianMs", median);
                record.put("minMs", Stats.min(totals(sample)));
                record.put("maxMs", Stats.max(totals(sample)));
                record.put("medianJvmMs", Stats.median(sample.stream().map(Launch::jvmMs).toList()));
                record.put("medianInitMs", Stats.median(sample.stream().map(Launch::initMs).toList()));
                record.put("medianFirstCallMs", Stats.median(sample.stream().map(Launch::invokeMs).toList()));
                record.put("ratioToFloor", ratio);
                record.put("runsMs", totals(sample));
                record.put("response", sample.get(sample.size() - 1).response());
                report.row(List.of(target.name(), variant.name(), Report.fixed(size / 1e6, 1),
                        Long.toString((long) classes), Report.ms(median),
                        Report.ms(Stats.min(totals(sample))) + "-" + Report.ms(Stats.max(totals(sample))),
                        Report.ms((double) record.get("medianInitMs")), Report.ms((double) record.get("medianFirstCallMs")),
                        Report.fixed(ratio, 2)), record);
                if (!target.name().equals(FLOOR) && !target.name().equals(STREAM_FLOOR)) {
                    allWithin &= ratio <= TARGET_RATIO;
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worst = target.name() + " (" + variant.name() + ")";
                    }
                }
            }
        }
        report.check("every function within " + TARGET_RATIO + "x of the floor", allWithin,
                String.format("worst %s at %.2fx", worst, worstRatio));
        List<String> oversized = new ArrayList<>();
        for (Target target : targets) {
            if (Files.size(target.jar()) > MAX_JAR_BYTES) {
                oversized.add(target.name() + " " + Report.fixed(Files.size(target.jar()) / 1e6, 1) + " MB");
            }
        }
        report.check("no function jar over 20 MB", oversized.isEmpty(), oversized.isEmpty() ? "largest "
                + Report.fixed(targets.stream().mapToLong(t -> size(t.jar())).max().orElse(0) / 1e6, 1) + " MB" : String.join(", ", oversized));
        report.note("init = handler class loaded and constructed (clients built); first call = event deserialized, handled, response serialized;"
                + " median ms also counts JVM start (launcher clock to main)");
        report.note("first events: api GET /v1/me of an existing user (events/api/get-me.json, one GetItem like the floor),"
                + " media-worker sqs/media-job.json, fanout-worker sqs/fanout-job.json, stream-processor dynamodb/profile-created.json"
                + " (a sign-up: counted once by the untimed launch, then found counted: a BatchGetItem and the daily-actives update)");
        report.note("functions are started through their Lambda entry points (stream handlers that read the event themselves);"
                + " the floor is a RequestHandler whose event the runtime's serializer reads; floor-stream is the same floor"
                + " as a stream handler that drops the event's bytes");
        report.note("appcds: one training launch per jar with -XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile;"
                + " c1: -XX:TieredStopAtLevel=1 (the Lambda Java runtime's default)");
        report.detail("runs", runs);
        report.detail("java", System.getProperty("java.home"));
        return report;
    }

    private static long size(Path jar) {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Long> totals(List<Launch> launches) {
        return launches.stream().map(Launch::totalMs).toList();
    }

    /**
     * The api's first event: {@code GET /v1/me} of a user who exists (one GetItem, as the floor does), from
     * the sample event with the claims of a user signed up on this stack. {@code /health} would call three
     * services on its first request, which no user's first request does.
     */
    private static Path meEvent(Bench.Settings settings, EmbeddedStack stack, Path dir) throws IOException {
        BenchClient client = new BenchClient(stack.apiEndpoint(), 2);
        String username = "cold_" + UUID.randomUUID().toString().substring(0, 6);
        String id = client.signUp(username);
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                BenchClient.JSON.readTree(settings.root().resolve("events/api/get-me.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode claims = (com.fasterxml.jackson.databind.node.ObjectNode)
                event.path("requestContext").path("authorizer").path("jwt").path("claims");
        claims.put("sub", id);
        claims.put("cognito:username", username);
        Path file = dir.resolve("api-get-me.json");
        BenchClient.JSON.writeValue(file.toFile(), event);
        return file;
    }

    static List<Target> targets(Bench.Settings settings, Path apiEvent) {
        Path events = settings.root().resolve("events");
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(FLOOR, settings.jar("localstack/bench-floor", "coldstart-floor"),
                "dev.glint.floor.FloorHandler", events.resolve("api/health.json")));
        targets.add(new Target(STREAM_FLOOR, settings.jar("localstack/bench-floor", "coldstart-floor"),
                "dev.glint.floor.FloorStreamHandler", events.resolve("api/health.json")));
        Map<String, String> eventOf = Map.of(
                GlintResources.MEDIA_WORKER_FUNCTION.name(), "sqs/media-job.json",
                GlintResources.FANOUT_WORKER_FUNCTION.name(), "sqs/fanout-job.json",
                GlintResources.STREAM_PROCESSOR_FUNCTION.name(), "dynamodb/profile-created.json",
                GlintResources.REALTIME_FUNCTION.name(), "websocket/disconnect.json",
                GlintResources.REALTIME_AUTHORIZER_FUNCTION.name(), "websocket/authorizer-request.json");
        // The authorizer reads its issuer and audience, not the stack's resources; the sample's token fails before any key is fetched.
        Map<String, Map<String, String>> envOf = Map.of(GlintResources.REALTIME_AUTHORIZER_FUNCTION.name(), Map.of(
                GlintResources.ENV_JWT_ISSUER, "glint-local", GlintResources.ENV_JWT_AUDIENCE, "glint-local-client",
                GlintResources.ENV_JWKS_URL, "http://127.0.0.1:9/.well-known/jwks.json"));
        for (GlintResources.FunctionSpec spec : GlintResources.FUNCTIONS) {
            Path event = spec.name().equals(GlintResources.API_FUNCTION.name()) ? apiEvent : events.resolve(eventOf.get(spec.name()));
            targets.add(new Target(spec.name(), settings.root().resolve(spec.jarPath()), spec.handlerClass(), event,
                    envOf.getOrDefault(spec.name(), Map.of())));
            if (Boolean.getBoolean("glint.bench.tracing")) {
                targets.add(new Target(spec.name() + "+xray", settings.root().resolve(spec.jarPath()), spec.handlerClass(), event, TRACED));
            }
        }
        return targets;
    }

    private static Path archive(Path dir, Target target) {
        return dir.resolve(target.name() + ".jsa");
    }

    private static Launch launch(Target target, List<String> options, Path runnerJar, Path serialization,
                                 Map<String, String> env, Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(options);
        command.add("-cp");
        command.add(target.jar() + java.io.File.pathSeparator + runnerJar + java.io.File.pathSeparator + serialization);
        command.add(ColdStartRunner.class.getName());
        command.add(target.handlerClass());
        command.add(target.event().toString());
        command.add(target.name());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().putAll(target.env());
        Path log = dir.resolve(target.name() + ".log");
        builder.redirectError(log.toFile());
        long started = System.currentTimeMillis();
        Process process = builder.start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(target.name() + " did not finish within 120 s");
        }
        String line = out.lines().filter(l -> l.startsWith(ColdStartRunner.MARKER)).findFirst()
                .orElseThrow(() -> new IllegalStateException(target.name() + " " + options + " printed no result (exit "
                        + process.exitValue() + "); see " + log));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : line.substring(ColdStartRunner.MARKER.length()).trim().split(" ", 5)) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        long main = Long.parseLong(fields.get("main"));
        long init = Long.parseLong(fields.get("init"));
        long done = Long.parseLong(fields.get("done"));
        return new Launch(done - started, main - started, init - main, done - init,
                Long.parseLong(fields.get("classes")), fields.get("response"));
    }

    /** The runner, alone in a jar: class-data sharing archives only classes that come from jars. */
    private static Path runnerJar(Path dir) throws IOException, URISyntaxException {
        Path jar = dir.resolve("coldstart-runner.jar");
        Path classes = Path.of(ColdStartRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String prefix = ColdStartRunner.class.getName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            if (Files.isDirectory(classes)) {
                Path packageDir = classes.resolve(prefix).getParent();
                try (Stream<Path> files = Files.list(packageDir)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("ColdStartRunner")).toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            } else {
                try (var source = new java.util.jar.JarFile(classes.toFile())) {
                    for (JarEntry entry : source.stream().filter(e -> e.getName().startsWith(prefix)).toList()) {
                        out.putNextEntry(new JarEntry(entry.getName()));
                        source.getInputStream(entry).transferTo(out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    /** The Lambda runtime's serialization library, as the local stack's classpath carries it. */
    private static Path serializationJar(Path root) throws IOException {
        Path classpath = root.resolve("localstack/bench/target/classpath.txt");
        String entries = Files.isRegularFile(classpath) ? Files.readString(classpath).trim() : System.getProperty("java.class.path");
        for (String entry : entries.split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("aws-lambda-java-serialization")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("aws-lambda-java-serialization is not on the local stack's classpath");
    }
}
