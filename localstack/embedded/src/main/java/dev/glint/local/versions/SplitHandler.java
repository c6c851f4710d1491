package dev.glint.local.versions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.local.LocalMetrics;
import dev.glint.shared.split.VersionSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The local gateway's integration for a function with a sticky traffic split: while
 * {@code <data>/versions/<function>/split.json} names versions (written by {@code ./glint split}), each
 * request runs the version its user's bucket falls in ({@link VersionSplit}), each version in a class
 * loader of its own as {@link AliasHandler} runs them, and {@code x-glint-version} says which served.
 * The user is the token's {@code sub} (the gateway has verified it), else the first-party cookie
 * {@value #COOKIE}, which a signed-out request without one is given. Without a split, the stack's own
 * build serves, as before.
 *
 * <p>The file is read every {@value #WATCH_MILLIS} ms: a new split loads the versions it names first
 * and then takes over, so a change takes effect within a second or two and no request waits for a
 * class loader; a split that cannot be used (a version whose jar fails to load) is logged and the
 * previous one kept.
 */
public final class SplitHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SplitHandler.class);
    public static final String COOKIE = "glint-split";
    static final long WATCH_MILLIS = 500;
    static final long RESULTS_MILLIS = 2000;
    /** The namespace of the functions' own metric lines (events/metrics/rollback-signals.json). */
    static final String NAMESPACE = "Glint";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern COOKIE_VALUE = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String functionName;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> own;
    private final VersionStore store;
    private final AliasHandler versions;
    private final ScheduledExecutorService watcher;
    private volatile Optional<VersionSplit> split = Optional.empty();
    private volatile Runtime runtime;
    private volatile LocalMetrics metrics;
    private String seen;
    private String written;

    /** What a version needs to start: the function's environment and where its metrics go. */
    private record Runtime(Map<String, String> env, String accessKey, String secretKey, int timeoutMillis) {
    }

    /**
     * @param own the stack's own build of the function, which serves while no split is set
     * @param log where the versions' own log lines go
     */
    public SplitHandler(String functionName, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> own,
                        VersionStore store, Consumer<String> log) {
        this.functionName = functionName;
        this.own = own;
        this.store = store;
        this.versions = new AliasHandler(functionName, AliasRouting.to("0"), new Random(), log);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "glint-split-" + functionName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching the split, once the stack is up and the versions' environment is known.
     *
     * @param env the function's environment as Lambda would give it (with the local endpoints and credentials)
     */
    public void start(Map<String, String> env, LocalMetrics metrics, int timeoutMillis) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        String accessKey = copy.remove("AWS_ACCESS_KEY_ID");
        String secretKey = copy.remove("AWS_SECRET_ACCESS_KEY");
        this.runtime = new Runtime(Map.copyOf(copy), accessKey, secretKey, timeoutMillis);
        versions.metrics(metrics);
        this.metrics = metrics;
        watch();
        watcher.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        watcher.scheduleWithFixedDelay(this::writeResults, RESULTS_MILLIS, RESULTS_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One version's requests since the stack started, from the metric lines it wrote. */
    public record VersionResult(String version, long requests, long serverErrors, double p50Millis, double p95Millis) {
    }

    /**
     * Each version's results since the stack started (the stack's own build as {@code $LATEST}): the
     * api's own {@code Glint} metrics by {@code FunctionVersion}, which the rollback alarms read too.
     */
    public List<VersionResult> results() {
        LocalMetrics store = metrics;
        if (store == null) {
            return List.of();
        }
        java.util.TreeSet<String> seenVersions = new java.util.TreeSet<>(java.util.Comparator
                .comparing((String v) -> v.startsWith("$") ? -1 : Integer.parseInt(v)));
        for (LocalMetrics.Key key : store.keys()) {
            if (key.namespace().equals(NAMESPACE) && key.name().equals("Requests")
                    && functionName.equals(key.dimensions().get("FunctionName")) && key.dimensions().containsKey("FunctionVersion")) {
                String v = key.dimensions().get("FunctionVersion");
                if (v.startsWith("$") || v.matches("[0-9]{1,9}")) {
                    seenVersions.add(v);
                }
            }
        }
        List<VersionResult> out = new ArrayList<>();
        for (String v : seenVersions) {
            Map<String, String> dimensions = Map.of("FunctionName", functionName, "FunctionVersion", v);
            List<Double> latency = new ArrayList<>(store.values(NAMESPACE, "Latency", dimensions));
            latency.sort(null);
            out.add(new VersionResult(v, (long) store.sum(NAMESPACE, "Requests", dimensions),
                    (long) store.sum(NAMESPACE, "ServerErrors", dimensions), rank(latency, 0.50), rank(latency, 0.95)));
        }
        return out;
    }

    private static double rank(List<Double> sorted, double quantile) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
    }

    /** Keeps {@code split-results.json} beside the split for {@code ./glint split} to print. */
    private void writeResults() {
        try {
            List<VersionResult> results = results();
            var doc = JSON.createObjectNode().put("function", functionName)
                    .put("split", split.map(VersionSplit::toString).orElse(""));
            var list = doc.putArray("versions");
            for (VersionResult r : results) {
                var node = list.addObject().put("version", r.version()).put("requests", r.requests())
                        .put("serverErrors", r.serverErrors());
                if (!Double.isNaN(r.p50Millis())) {
                    node.put("p50Millis", Math.round(r.p50Millis() * 10) / 10.0).put("p95Millis", Math.round(r.p95Millis() * 10) / 10.0);
                }
            }
            String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
            if (text.equals(written)) {
                return;
            }
            Path file = store.splitFile(functionName).resolveSibling("split-results.json");
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling("split-results.json.partial");
            Files.writeString(partial, text);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written = text;
        } catch (Exception e) {
            LOG.warn("{}: cannot write the split's results ({})", functionName, e.toString());
        }
    }

    /** The split serving now, if any. */
    public Optional<VersionSplit> split() {
        return split;
    }

    private synchronized void watch() {
        Path file = store.splitFile(functionName);
        try {
            // The contents, not the time: two writes within a clock tick of the file system are two splits.
            String modified = Files.isRegularFile(file) ? Files.readString(file) : null;
            if (Objects.equals(modified, seen)) {
                return;
            }
            Optional<VersionSplit> next = store.split(functionName);
            for (int version : next.map(VersionSplit::versions).orElse(List.of())) {
                load(Integer.toString(version));
            }
            seen = modified;
            if (!next.equals(split)) {
                split = next;
                LOG.info("{}: {}", functionName, next.map(s -> "split " + s + " (version=percent of users)")
                        .orElse("no split; the stack's own build serves"));
            }
        } catch (Exception e) {
            // Left unseen: the next look tries again, and the split in force stays.
            LOG.error("{}: the split in {} cannot be used ({}); still serving {}", functionName, file, e.toString(),
                    split.map(VersionSplit::toString).orElse("the stack's own build"));
        }
    }

    private void load(String version) throws Exception {
        if (versions.has(version)) {
            return;
        }
        Runtime r = runtime;
        VersionStore.Version published = store.get(functionName, version);
        versions.add(new IsolatedVersion(published, functionName, r.env(), r.accessKey(), r.secretKey(), 0,
                new Random(), r.timeoutMillis()));
        LOG.info("{}: loaded version {} ({})", functionName, version, published.jar());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Optional<VersionSplit> current = split;
        if (current.isEmpty()) {
            return own.handleRequest(event, context);
        }
        Optional<String> user = subject(event);
        String cookie = null;
        if (user.isEmpty()) {
            user = cookie(event);
            if (user.isEmpty()) {
                cookie = HexFormat.of().formatHex(randomBytes());
                user = Optional.of(cookie);
            }
        }
        APIGatewayV2HTTPResponse response = versions.invoke(Integer.toString(current.get().versionFor(user.get())), event);
        if (cookie != null) {
            List<String> cookies = new ArrayList<>(response.getCookies() == null ? List.of() : response.getCookies());
            // A year, this site only; not Secure, since the local gateway speaks plain HTTP (the edge adds it).
            cookies.add(COOKIE + "=" + cookie + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
            response.setCookies(cookies);
        }
        return response;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Optional<String> subject(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(context.getAuthorizer().getJwt().getClaims().get("sub")).filter(s -> !s.isBlank());
    }

    private static Optional<String> cookie(APIGatewayV2HTTPEvent event) {
        if (event.getCookies() == null) {
            return Optional.empty();
        }
        for (String cookie : event.getCookies()) {
            int eq = cookie.indexOf('=');
            if (eq > 0 && cookie.substring(0, eq).trim().equals(COOKIE)) {
                String value = cookie.substring(eq + 1).trim();
                // Anything else is not one this gateway gave: a new one is given.
                return COOKIE_VALUE.matcher(value).matches() ? Optional.of(value) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        versions.close();
    }
}
