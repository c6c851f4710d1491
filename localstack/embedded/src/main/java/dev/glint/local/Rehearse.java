package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.api.ApiLimits;
import dev.glint.local.canary.AlarmDefinition;
import dev.glint.local.canary.AlarmEvaluator;
import dev.glint.local.canary.CanaryPlan;
import dev.glint.local.canary.UnsupportedAlarm;
import dev.glint.local.versions.AliasHandler;
import dev.glint.local.versions.AliasRouting;
import dev.glint.local.versions.IsolatedVersion;
import dev.glint.local.versions.VersionStore;
import dev.glint.shared.resources.GlintResources;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * {@code ./glint rehearse canary [--faulty SHARE] [--template PATH]}: a deployment of the api as the
 * stage's template would run it, on one machine and a compressed clock. It publishes the current api
 * build as a new version (with {@code --faulty}, wrapped so that share of its requests fail inside the
 * handler), starts a local stack whose gateway calls the {@code live} alias, drives a mix of reads and
 * writes, shifts the alias by the deployment group's configuration, evaluates the group's rollback
 * alarms as the template writes them against the metrics the versions emit, and rolls back or completes.
 */
public final class Rehearse {

    /**
     * The compressed clock: one minute of the deployment lasts three seconds here (20x), so beta's
     * 5-minute canary bakes 15 s and each 60 s alarm period lasts 3 s: on a busy 2-core machine the
     * load gets 5 to 10 requests a period to a 10 % canary, enough for its errors to show in most periods.
     */
    public static final double SPEEDUP = 20;
    /** Before the shift, both versions serve for a while so neither is judged on its first, cold requests. */
    static final long WARM_UP_MILLIS = 3_000;

    public enum Outcome { ROLLED_BACK, COMPLETED }

    public record Result(Outcome outcome, Outcome expected, String oldVersion, String newVersion, List<String> timeline) {
        public boolean asExpected() {
            return outcome == expected;
        }
    }

    private Rehearse() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].equals("canary")) {
            fail("usage: ./glint rehearse canary [--faulty SHARE] [--template PATH] [--data DIR]");
        }
        double faulty = 0;
        Path template = null;
        Path data = Path.of(".glint", "data");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--faulty" -> faulty = Double.parseDouble(value(args, ++i));
                case "--template" -> template = Path.of(value(args, ++i));
                case "--data" -> data = Path.of(value(args, ++i));
                default -> fail("unknown option " + args[i]);
            }
        }
        Path root = Path.of(System.getProperty("glint.root", "."));
        Result result;
        try {
            result = run(root, data, findTemplate(root, template), faulty, System.out, System.nanoTime());
        } catch (UnsupportedAlarm | IllegalStateException | IllegalArgumentException e) {
            System.err.println("glint rehearse: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.exit(result.asExpected() ? 0 : 1);
    }

    /**
     * The template to rehearse: PATH as given (a template file, or a cloud assembly folder, whose beta
     * stage is used), else the beta stage in {@code infra-cdk/cdk.out} or {@code infra-cdk/target/cdk.out-beta}.
     */
    static Path findTemplate(Path root, Path given) throws IOException {
        List<Path> candidates = given != null ? List.of(given)
                : List.of(root.resolve("infra-cdk/cdk.out"), root.resolve("infra-cdk/target/cdk.out-beta"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            Path assembly = candidate.resolve("assembly-beta");
            if (Files.isDirectory(assembly)) {
                try (Stream<Path> files = Files.list(assembly)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".template.json")).sorted().toList()) {
                        if (Files.readString(file).contains("\"" + GlintResources.API_FUNCTION.handlerClass())) {
                            return file;
                        }
                    }
                }
            }
        }
        throw new IllegalArgumentException(given != null ? given + " is neither a template nor a cloud assembly with a beta stage"
                : "no synthesized beta stage found; synthesize it (infra-cdk/README.md, with -c stage=beta) or pass --template");
    }

    /** Runs one rehearsal and prints its timeline to {@code out}. */
    public static Result run(Path root, Path data, Path template, double faulty, PrintStream out, long seed) throws Exception {
        if (faulty < 0 || faulty >= 1) {
            throw new IllegalArgumentException("--faulty takes a share from 0 to below 1, not " + faulty);
        }
        List<String> timeline = new ArrayList<>();
        java.util.function.Consumer<String> say = line -> {
            timeline.add(line);
            out.println(line);
        };
        GlintResources.FunctionSpec spec = GlintResources.API_FUNCTION;
        Path jar = root.resolve(spec.jarPath());
        VersionStore store = new VersionStore(data);
        // The version in service: where live points (a rolled-back rehearsal leaves it where it was), else
        // the newest published one, else the current build published as the baseline.
        List<VersionStore.Version> published = store.list(spec.name());
        java.util.Optional<String> live = store.alias(spec.name(), AliasHandler.ALIAS);
        VersionStore.Version old = live.isPresent() ? store.get(spec.name(), live.get())
                : published.isEmpty()
                ? store.publish(spec.name(), jar, spec.handlerClass(), "the version in service before the first rehearsal")
                : published.get(published.size() - 1);
        store.setAlias(spec.name(), AliasHandler.ALIAS, old.version());
        VersionStore.Version next = store.publish(spec.name(), jar, spec.handlerClass(),
                faulty > 0 ? "rehearsal canary, " + faulty * 100 + " % of requests faulty" : "rehearsal canary", true);

        // The template is read, and every alarm checked, before anything starts: an alarm that cannot be evaluated stops here.
        String handlerClass = spec.handlerClass();
        CanaryPlan probe = CanaryPlan.read(template, handlerClass, "probe", next.version());
        String functionName = "glint-local-" + probe.functionLogicalId().toLowerCase(java.util.Locale.ROOT);
        CanaryPlan plan = CanaryPlan.read(template, handlerClass, functionName, next.version());

        say.accept("Canary rehearsal of " + spec.name() + " from " + template);
        say.accept("  deployment group " + plan.deploymentGroup() + ", configuration " + plan.configName() + ": "
                + plan.steps().stream().map(s -> fmtPercent(s.percent()) + " at +" + minutes(s.atMinute() * 60)).toList());
        say.accept("  rollback alarms: " + plan.alarms().stream().map(AlarmDefinition::name).toList());
        say.accept("  clock: 1 minute of the deployment = " + 60 / SPEEDUP + " s here (" + (int) SPEEDUP
                + "x); alarm periods shrink the same way; latencies are measured, not compressed");
        say.accept("  versions: live = " + old.version() + ", new = " + next.version()
                + (faulty > 0 ? " (wrapped: " + fmtPercent(faulty * 100) + " of its requests fail inside the handler)" : ""));

        Path logFile = (data == null ? Path.of(".") : data).resolve("rehearse-functions.log");
        Files.createDirectories(logFile.getParent());
        PrintWriter functionLog = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        AliasHandler alias = new AliasHandler(functionName, AliasRouting.to(old.version()), new Random(seed), line -> {
            synchronized (functionLog) {
                functionLog.println(line);
            }
        });
        EmbeddedStack.HandlerDecorator decorator = new EmbeddedStack.HandlerDecorator() {
            @Override
            @SuppressWarnings("unchecked")
            public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
                return function.equals(spec.name()) ? (RequestHandler<I, O>) (RequestHandler<?, ?>) alias : handler;
            }
        };
        ApiLimits limits = ApiLimits.DEFAULTS.withWrites(10_000, 10_000).withReads(10_000, 10_000);
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults().withGatewayPort(0).withDataDir(null)
                .withPrefix("glint-rehearse").withDecorator(decorator);
        Outcome outcome;
        try (EmbeddedStack stack = EmbeddedStack.start(options)) {
            alias.metrics(stack.metrics());
            Map<String, String> env = new LinkedHashMap<>(stack.functionEnvironment());
            env.putAll(limits.toEnv());
            env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
            int timeout = spec.timeoutSeconds() * 1000;
            String accessKey = env.remove("AWS_ACCESS_KEY_ID");
            String secretKey = env.remove("AWS_SECRET_ACCESS_KEY");
            alias.add(new IsolatedVersion(old, functionName, env, accessKey, secretKey, 0, new Random(seed + 1), timeout));
            alias.add(new IsolatedVersion(next, functionName, env, accessKey, secretKey, faulty, new Random(seed + 2), timeout));
            alias.route(AliasRouting.to(old.version()));
            try (Load load = Load.start(stack.apiEndpoint(), 6)) {
                // A warm-up (JIT, connection pools) of both versions: its values fall before the shift's
                // first period, which the alarms never read (Lambda's SnapStart or provisioned concurrency plays that part on AWS).
                alias.route(AliasRouting.to(old.version()).withAdditional(next.version(), 0.5));
                Thread.sleep(WARM_UP_MILLIS);
                alias.route(AliasRouting.to(old.version()));
                say.accept("  warm-up: " + load.servedSince(new LinkedHashMap<>()) + " in " + WARM_UP_MILLIS / 1000
                        + " s before the shift (outside every alarm period)");
                outcome = shift(plan, alias, old.version(), next.version(), stack.metrics(), load, say);
            }
        } finally {
            alias.close();
            functionLog.close();
        }
        if (outcome == Outcome.COMPLETED) {
            store.setAlias(spec.name(), AliasHandler.ALIAS, next.version());
        }
        Outcome expected = faulty > 0 ? Outcome.ROLLED_BACK : Outcome.COMPLETED;
        say.accept("Outcome: " + (outcome == Outcome.ROLLED_BACK ? "rolled back, live = " + old.version()
                : "completed, live = " + next.version()) + "; expected " + (expected == Outcome.ROLLED_BACK ? "a rollback" : "completion")
                + (outcome == expected ? " (as expected)" : " (NOT as expected)") + ". The versions' logs: " + logFile);
        return new Result(outcome, expected, old.version(), next.version(), List.copyOf(timeline));
    }

    /** Shifts the alias step by step, evaluating every alarm at the end of each period, as CodeDeploy watches them. */
    private static Outcome shift(CanaryPlan plan, AliasHandler alias, String oldVersion, String newVersion,
                                 dev.glint.local.canary.MetricSource metrics, Load load, java.util.function.Consumer<String> say)
            throws InterruptedException {
        long origin = System.currentTimeMillis();
        List<AlarmEvaluator> evaluators = plan.alarms().stream().map(a -> new AlarmEvaluator(a, metrics, origin, SPEEDUP)).toList();
        long period = evaluators.stream().mapToLong(AlarmEvaluator::periodMillis).min().orElse(Math.round(60_000 / SPEEDUP));
        // A value's line reaches the store within milliseconds here (CloudWatch takes a minute or more).
        long grace = Math.min(150, period / 5);
        List<CanaryPlan.Step> steps = plan.steps();
        long end = origin + Math.round(steps.get(steps.size() - 1).atMinute() * 60_000 / SPEEDUP);
        int step = 0;
        long nextEvaluation = origin + period + grace;
        Map<String, Long> seen = new LinkedHashMap<>();
        load.servedSince(seen);
        while (true) {
            long now = System.currentTimeMillis();
            while (step < steps.size() && now >= origin + Math.round(steps.get(step).atMinute() * 60_000 / SPEEDUP)) {
                double percent = steps.get(step).percent();
                alias.route(percent >= 100 ? AliasRouting.to(newVersion) : AliasRouting.to(oldVersion).withAdditional(newVersion, percent / 100));
                say.accept(String.format("%7s  shift: %s of live's traffic to version %s (alias live = %s)", "+" + minutes((now - origin) * SPEEDUP / 1000),
                        fmtPercent(percent), newVersion, alias.routing()));
                step++;
            }
            boolean last = step >= steps.size();
            if (last || now >= nextEvaluation) {
                long at = last ? now : nextEvaluation;
                StringBuilder line = new StringBuilder(String.format("%7s  served %s |", "+" + minutes((at - origin) * SPEEDUP / 1000),
                        load.servedSince(seen)));
                String firing = null;
                for (AlarmEvaluator evaluator : evaluators) {
                    AlarmEvaluator.Evaluation evaluation = evaluator.evaluate(at - grace);
                    line.append(' ').append(evaluator.alarm().name().replaceAll("[0-9A-F]{8}$", "")).append(' ')
                            .append(evaluation.state()).append(' ').append(datapoints(evaluation.datapoints()));
                    if (evaluation.state() == AlarmEvaluator.State.ALARM && firing == null) {
                        firing = evaluator.alarm().name();
                    }
                }
                say.accept(line.toString());
                if (firing != null) {
                    alias.route(AliasRouting.to(oldVersion));
                    say.accept(String.format("%7s  %s is in ALARM: deployment stopped, live moved back to version %s",
                            "+" + minutes((System.currentTimeMillis() - origin) * SPEEDUP / 1000), firing, oldVersion));
                    return Outcome.ROLLED_BACK;
                }
                if (last) {
                    say.accept(String.format("%7s  all traffic on version %s, no rollback alarm in ALARM: deployment complete",
                            "+" + minutes((System.currentTimeMillis() - origin) * SPEEDUP / 1000), newVersion));
                    return Outcome.COMPLETED;
                }
                nextEvaluation += period;
            }
            long wake = Math.min(nextEvaluation, step < steps.size() ? origin + Math.round(steps.get(step).atMinute() * 60_000 / SPEEDUP) : end);
            Thread.sleep(Math.max(1, wake - System.currentTimeMillis()));
        }
    }

    private static String datapoints(List<Double> values) {
        return values.stream().map(v -> v == null ? "-" : v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString(v.longValue())
                : String.format("%.1f", v)).toList().toString().replace(" ", "");
    }

    private static String fmtPercent(double percent) {
        return (percent == Math.rint(percent) ? Long.toString((long) percent) : String.format("%.1f", percent)) + " %";
    }

    private static String minutes(double seconds) {
        long s = Math.round(seconds);
        return s / 60 + ":" + String.format("%02d", s % 60);
    }

    /** A small mix of reads and writes through the local gateway, by a few users, counted by the version that served. */
    static final class Load implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final URI api;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

        private Load(URI api) {
            this.api = api;
        }

        static Load start(URI api, int users) throws Exception {
            Load load = new Load(api);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                String user = "rehearsal" + i;
                String token = JSON.readTree(load.send("POST", "/v1/dev/token", null, "{\"username\":\"" + user + "\"}").body())
                        .path("token").asText();
                tokens.add(token);
                HttpResponse<String> me = load.send("PUT", "/v1/me", token,
                        "{\"handle\":\"" + user + "\",\"displayName\":\"Rehearsal " + i + "\",\"bio\":\"canary load\"}");
                if (me.statusCode() != 200) {
                    throw new IllegalStateException("the load's user " + user + " could not be set up: " + me.statusCode() + " " + me.body());
                }
            }
            for (int i = 0; i < users; i++) {
                String token = tokens.get(i);
                String other = "rehearsal" + ((i + 1) % users);
                Thread thread = new Thread(() -> load.drive(token, other), "rehearsal-load-" + i);
                thread.setDaemon(true);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void drive(String token, String other) {
            int i = 0;
            while (running.get()) {
                try {
                    HttpResponse<String> response = switch (i++ % 6) {
                        case 0 -> send("GET", "/v1/me", token, null);
                        case 1 -> send("GET", "/v1/users/" + other, token, null);
                        case 2 -> send("GET", "/v1/users/" + other + "/posts", token, null);
                        case 3 -> send("POST", "/v1/users/" + other + "/follow", token, null);
                        case 4 -> send("DELETE", "/v1/users/" + other + "/follow", token, null);
                        default -> send("PUT", "/v1/me", token, "{\"bio\":\"canary load " + i + "\"}");
                    };
                    String version = response.headers().firstValue("x-glint-version").orElse("gateway");
                    served.computeIfAbsent(version, v -> new LongAdder()).increment();
                    if (response.statusCode() >= 500) {
                        errors.computeIfAbsent(version, v -> new LongAdder()).increment();
                    }
                } catch (IOException e) {
                    served.computeIfAbsent("unreachable", v -> new LongAdder()).increment();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Requests answered per version (with 5xx) since the last call. */
        String servedSince(Map<String, Long> seen) {
            StringBuilder out = new StringBuilder();
            for (String version : new java.util.TreeSet<>(served.keySet())) {
                long total = served.get(version).sum();
                long bad = errors.containsKey(version) ? errors.get(version).sum() : 0;
                long delta = total - seen.getOrDefault(version, 0L);
                long badDelta = bad - seen.getOrDefault(version + "!", 0L);
                seen.put(version, total);
                seen.put(version + "!", bad);
                out.append(out.isEmpty() ? "" : ", ").append("v").append(version).append(' ').append(delta)
                        .append(" (").append(badDelta).append(" 5xx)");
            }
            return out.toString();
        }

        HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("content-type", "application/json");
            if (token != null) {
                request.header("authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("glint rehearse: " + message);
        System.exit(2);
    }
}
