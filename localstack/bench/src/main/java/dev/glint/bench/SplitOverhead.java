package dev.glint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.EmbeddedStack;
import dev.glint.local.VersionSplits;
import dev.glint.local.versions.VersionStore;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.split.VersionSplit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local sticky split's overhead ({@code ./glint split}): the same feed read, answered by the stack's own
 * build and by a published version of the same build behind a split that sends everyone to it, in
 * alternating blocks, so drift in the machine's load falls on both alike. The split's own work is a
 * hash of the user and a range lookup (measured apart, per call); the rest of the difference is running
 * a version as Lambda does, in a class loader of its own with the event and response as JSON.
 * Equal quality: both answer 200 with the same feed.
 */
final class SplitOverhead {

    private static final int USERS = 20;

    private SplitOverhead() {
    }

    static Report run(Bench.Settings settings) throws Exception {
        int perBlock = settings.quick() ? 30 : 250;
        int blocks = 4;
        Path data = Files.createTempDirectory("glint-bench-split");
        VersionStore store = new VersionStore(data);
        store.publish("api", settings.root().resolve(GlintResources.API_FUNCTION.jarPath()),
                GlintResources.API_FUNCTION.handlerClass(), "the current build, for the split benchmark");
        Map<String, List<Double>> latencies = new LinkedHashMap<>();
        latencies.put("$LATEST", new ArrayList<>());
        latencies.put("1", new ArrayList<>());
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        double hashNanos;
        try (VersionSplits splits = new VersionSplits(data);
             EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults().withGatewayPort(0).withDataDir(data)
                     .withPrefix("bench-split-" + UUID.randomUUID().toString().substring(0, 8)).withDecorator(splits.decorator()))) {
            splits.start(stack);
            BenchClient api = new BenchClient(stack.apiEndpoint(), 4);
            List<String> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String user = "split" + i;
                api.json("PUT", user, "/v1/me", Map.of("handle", user, "displayName", "Split " + i));
                users.add(user);
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int block = -2; block < blocks; block++) {
                // Two warm-up blocks (one an arm: JIT, the version's class loading), then the measured ones.
                boolean split = Math.floorMod(block, 2) == 1;
                String expected = split ? "1" : "$LATEST";
                if (split) {
                    store.setSplit(VersionSplit.parse("api", List.of("1=100")));
                } else {
                    store.clearSplit("api");
                }
                awaitServed(splits, split);
                for (int i = 0; i < perBlock; i++) {
                    String user = users.get(i % USERS);
                    HttpRequest request = HttpRequest.newBuilder(stack.apiEndpoint().resolve("/v1/feed"))
                            .header("authorization", "Bearer " + api.token(user)).timeout(Duration.ofSeconds(30)).build();
                    long started = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    double ms = (System.nanoTime() - started) / 1e6;
                    String served = response.headers().firstValue("x-glint-version").orElse("?");
                    if (response.statusCode() != 200 || !served.equals(expected)) {
                        throw new IllegalStateException("GET /v1/feed answered " + response.statusCode() + " from version " + served
                                + " where " + expected + " should have served: " + response.body());
                    }
                    if (block >= 0) {
                        latencies.get(expected).add(ms);
                    }
                    answers.putIfAbsent(expected + ":" + user, BenchClient.JSON.readTree(response.body()));
                }
            }
            hashNanos = hashCost();
        }
        for (String user : List.of("split0", "split1")) {
            if (!answers.get("$LATEST:" + user).equals(answers.get("1:" + user))) {
                throw new IllegalStateException("the two arms answered " + user + "'s feed differently: not equal quality");
            }
        }

        Report report = new Report("split", "Sticky split overhead, local stack: GET /v1/feed, " + USERS + " users, "
                + blocks / 2 + " alternating blocks of " + perBlock + " requests an arm",
                List.of("served by", "requests", "p50 ms", "p95 ms"));
        Map<String, Double> p50 = new LinkedHashMap<>();
        for (var arm : latencies.entrySet()) {
            String name = arm.getKey().equals("$LATEST") ? "the stack's own build (no split)" : "version 1 of the same build, split 1=100";
            double median = Stats.percentile(arm.getValue(), 50);
            double p95 = Stats.percentile(arm.getValue(), 95);
            p50.put(arm.getKey(), median);
            report.row(List.of(name, Integer.toString(arm.getValue().size()), Report.ms(median), Report.ms(p95)),
                    Map.of("version", arm.getKey(), "requests", arm.getValue().size(), "p50Ms", median, "p95Ms", p95));
        }
        double overhead = p50.get("1") - p50.get("$LATEST");
        report.detail("overheadP50Ms", overhead).detail("routingNanosPerRequest", hashNanos);
        report.note(String.format("the split costs %s ms at the median; of it, choosing the version (a SHA-256 of the user and a "
                + "range lookup) takes %.1f µs a request, the rest is running a version as Lambda does (its own class loader, "
                + "the event and response as JSON)", Report.ms(overhead), hashNanos / 1000));
        report.note("same answers from both arms (equal quality)");
        return report;
    }

    private static void awaitServed(VersionSplits splits, boolean split) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (splits.handler().split().isPresent() != split) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the running stack did not follow the split file within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Nanoseconds a call of the split's choice: hash and lookup, over distinct users. */
    private static double hashCost() {
        VersionSplit split = VersionSplit.parse("api", List.of("1=70", "2=30"));
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += split.versionFor("warm-" + i);
        }
        int calls = 500_000;
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sink += split.versionFor("user-" + i);
        }
        double nanos = (System.nanoTime() - started) / (double) calls;
        if (sink == 42) {
            System.out.print("");
        }
        return nanos;
    }
}
