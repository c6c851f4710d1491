package dev.glint.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.local.EmbeddedStack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load: hundreds of simulated users drive the local stack over HTTP for a fixed time with a realistic
 * mix (feed reads 70 %, likes 15 %, comments 5 %, photo posts with real uploads 5 %, follows 5 %).
 * Reports throughput and latency percentiles per route and the errors (which must be none), then checks
 * that the counts the API shows (likes, comments, followers, following, posts) equal what the clients
 * did, and how often a feed page the client already holds is answered 304 (each user revalidates its last
 * page with If-None-Match, as a browser does). Last, the gateway's own cost: the same feed request through
 * HTTP and straight into the handler.
 */
final class Load {

    /** The mix, in percent; the routes each one calls. */
    enum Action {
        FEED(70), LIKE(15), COMMENT(5), POST(5), FOLLOW(5);

        final int percent;

        Action(int percent) {
            this.percent = percent;
        }

        static Action pick(int roll) {
            int sum = 0;
            for (Action action : values()) {
                sum += action.percent;
                if (roll < sum) {
                    return action;
                }
            }
            return FEED;
        }
    }

    /** What the clients did, to compare with what the API shows at the end. */
    private static final class Ledger {
        final Set<String> likes = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicLong> comments = new ConcurrentHashMap<>();
        final Set<String> follows = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicLong> posts = new ConcurrentHashMap<>();

        void comment(String postId) {
            comments.computeIfAbsent(postId, k -> new AtomicLong()).incrementAndGet();
        }

        void post(String user) {
            posts.computeIfAbsent(user, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private final Map<String, ConcurrentLinkedQueue<Double>> latencies = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicLong putRetries = new AtomicLong();
    private final Map<Action, AtomicLong> actions = new ConcurrentHashMap<>();
    /** Each user's last feed page and its ETag, as a browser would cache them. */
    private final Map<String, BenchClient.Reply> feedPages = new ConcurrentHashMap<>();
    /** Feed reads that carried an ETag; those answered 304; those answered 200 with the same page (signed URLs aside). */
    private final AtomicLong revalidations = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private final AtomicLong unchangedMisses = new AtomicLong();
    /** Of the revalidations, those of a page holding signed media URLs, and their 304s. */
    private final AtomicLong revalidationsWithUrls = new AtomicLong();
    private final AtomicLong notModifiedWithUrls = new AtomicLong();
    private final Ledger ledger = new Ledger();

    private Load() {
    }

    static Report run(Bench.Settings settings) throws Exception {
        return new Load().drive(settings);
    }

    private Report drive(Bench.Settings settings) throws Exception {
        boolean quick = settings.quick();
        int userCount = quick ? 30 : 300;
        int threads = quick ? 6 : 24;
        int seedPosts = quick ? 4 : 30;
        Duration duration = Duration.ofSeconds(quick ? 3 : 60);
        int overheadRounds = quick ? 20 : 300;
        FunctionMeter meter = new FunctionMeter();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        // The gateway-overhead rounds read one user's feed hundreds of times in a row, past the per-user
        // read limit (25 a second): the limiter still runs on every request, at a rate nobody reaches.
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.defaults().withGatewayPort(0)
                .withPrefix("bench-load-" + suffix).withDecorator(meter).withReadLimits(1_000_000, 1_000_000))) {
            BenchClient api = new BenchClient(stack.apiEndpoint(), threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<String> users = new ArrayList<>();
                for (int i = 0; i < userCount; i++) {
                    users.add("u" + i + "_" + suffix);
                }
                all(pool, users, api::signUp);
                // Seed posts (ready) to like and comment on, and follows so that feeds have something in them.
                List<String> seeds = Collections.synchronizedList(new ArrayList<>());
                all(pool, users.subList(0, seedPosts), author -> {
                    seeds.add(RequestCost.postPhoto(api, author));
                    ledger.post(author);
                });
                for (String post : seeds) {
                    RequestCost.awaitReady(api, users.get(0), post);
                }
                all(pool, users, user -> {
                    for (int i = 0; i < 3; i++) {
                        follow(api, user, users.get(ThreadLocalRandom.current().nextInt(seedPosts)));
                    }
                });
                latencies.clear();
                errors.clear();
                var filterBefore = stack.streamFilterCounts();

                long started = System.nanoTime();
                long deadline = started + duration.toNanos();
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        while (System.nanoTime() < deadline) {
                            act(api, users, seeds);
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                List<String> mismatches = verify(api, users, seeds, quick ? 30 : 90);
                long settleBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!stack.streamCaughtUp() && System.nanoTime() < settleBy) {
                    Thread.sleep(100);
                }
                Map<String, Object> streamFilter = streamFilter(filterBefore, stack.streamFilterCounts());
                Map<String, Object> overhead = gatewayOverhead(api, meter, users.get(0), overheadRounds);
                Report report = report(settings, seconds, userCount, threads, mismatches, overhead);
                report.note(String.format("stream event filter, over the load and until the stream caught up: %d of %d records "
                                + "(%.1f %%) and %d of %d reads' invocations (%.1f %%) filtered out before the stream processor",
                        (long) streamFilter.get("recordsRead") - (long) streamFilter.get("recordsPassed"), (long) streamFilter.get("recordsRead"),
                        100 * (double) streamFilter.get("recordShareRemoved"),
                        (long) streamFilter.get("pagesRead") - (long) streamFilter.get("pagesPassed"), (long) streamFilter.get("pagesRead"),
                        100 * (double) streamFilter.get("invocationShareRemoved")));
                report.detail("streamFilter", streamFilter);
                return report;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private interface UserTask {
        void run(String user) throws Exception;
    }

    private static void all(ExecutorService pool, List<String> items, UserTask task) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (String item : items) {
            futures.add(pool.submit(() -> {
                task.run(item);
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    private void follow(BenchClient api, String follower, String followee) {
        if (follower.equals(followee)) {
            return;
        }
        BenchClient.Reply reply = timed("POST /v1/users/{handle}/follow",
                () -> api.send("POST", "/v1/users/" + followee + "/follow", follower, null), 200);
        if (reply != null) {
            ledger.follows.add(follower + " " + followee);
        }
    }

    private void act(BenchClient api, List<String> users, List<String> seeds) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String user = users.get(random.nextInt(users.size()));
        Action action = Action.pick(random.nextInt(100));
        actions.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
        String post = seeds.get(random.nextInt(seeds.size()));
        switch (action) {
            case FEED -> feed(api, user);
            case LIKE -> {
                // Liking twice is allowed (idempotent) and counts once: the ledger keeps distinct pairs.
                if (timed("PUT /v1/posts/{id}/like", () -> api.send("PUT", "/v1/posts/" + post + "/like", user, null), 200) != null) {
                    ledger.likes.add(user + " " + post);
                }
            }
            case COMMENT -> {
                if (timed("POST /v1/posts/{id}/comments", () -> api.json("POST", user, "/v1/posts/" + post + "/comments",
                        Map.of("text", "Nice one #" + random.nextInt(50))), 201) != null) {
                    ledger.comment(post);
                }
            }
            case POST -> {
                byte[] jpeg = SmallPhoto.jpeg();
                BenchClient.Reply upload = timed("POST /v1/uploads", () -> api.presign(user, jpeg.length), 201);
                if (upload == null) {
                    return;
                }
                long t = System.nanoTime();
                int status = api.putBlob(upload.json(), jpeg, putRetries::incrementAndGet);
                record("PUT presigned upload (S3)", t, status == 200, "status " + status);
                if (status != 200) {
                    return;
                }
                if (timed("POST /v1/posts", () -> api.json("POST", user, "/v1/posts", Map.of("uploadId",
                        upload.json().path("uploadId").asText(), "caption", "Load test #bench")), 201) != null) {
                    ledger.post(user);
                }
            }
            case FOLLOW -> follow(api, user, users.get(random.nextInt(users.size())));
            default -> throw new IllegalStateException("unknown action " + action);
        }
    }

    /**
     * A feed read as a browser makes it: revalidating the page it holds. A 304 is a hit; a 200 whose
     * page differs from the one held only in its signed URLs' query strings is a miss the ETag should
     * have saved.
     */
    private void feed(BenchClient api, String user) {
        BenchClient.Reply held = feedPages.get(user);
        long t = System.nanoTime();
        BenchClient.Reply reply;
        try {
            reply = held == null ? api.get(user, "/v1/feed") : api.revalidate(user, "/v1/feed", held.etag());
        } catch (RuntimeException e) {
            record("GET /v1/feed", t, false, e.toString());
            return;
        }
        boolean ok = reply.status() == 200 || (held != null && reply.status() == 304);
        record("GET /v1/feed", t, ok, reply.status() + " " + reply.body());
        if (!ok) {
            return;
        }
        if (held != null) {
            revalidations.incrementAndGet();
            boolean urls = held.body().contains("X-Amz-Signature");
            if (urls) {
                revalidationsWithUrls.incrementAndGet();
            }
            if (reply.status() == 304) {
                notModified.incrementAndGet();
                if (urls) {
                    notModifiedWithUrls.incrementAndGet();
                }
                return;
            }
            if (withoutSignatures(reply.body()).equals(withoutSignatures(held.body()))) {
                unchangedMisses.incrementAndGet();
            }
        }
        if (reply.etag() != null) {
            feedPages.put(user, reply);
        }
    }

    private static final java.util.regex.Pattern SIGNED_QUERY = java.util.regex.Pattern.compile("\\?X-Amz-[^\"]*");

    private static String withoutSignatures(String body) {
        return SIGNED_QUERY.matcher(body).replaceAll("");
    }

    /** Sends a request, records its latency under the route, and returns the reply, or null if it was an error. */
    private BenchClient.Reply timed(String route, java.util.function.Supplier<BenchClient.Reply> request, int expected) {
        long t = System.nanoTime();
        BenchClient.Reply reply;
        try {
            reply = request.get();
        } catch (RuntimeException e) {
            record(route, t, false, e.toString());
            return null;
        }
        boolean ok = reply.status() == expected;
        record(route, t, ok, reply.status() + " " + reply.body());
        return ok ? reply : null;
    }

    private void record(String route, long started, boolean ok, String detail) {
        latencies.computeIfAbsent(route, k -> new ConcurrentLinkedQueue<>()).add((System.nanoTime() - started) / 1e6);
        if (!ok) {
            errors.computeIfAbsent(route, k -> new AtomicLong()).incrementAndGet();
            if (errorSamples.size() < 10) {
                errorSamples.add(route + ": " + detail);
            }
        }
    }

    /** Waits until the API's counts equal the ledger's (the stream processor settles them); returns what still differs. */
    private List<String> verify(BenchClient api, List<String> users, List<String> seeds, int seconds) throws InterruptedException {
        Map<String, Long> likes = new LinkedHashMap<>();
        ledger.likes.forEach(pair -> likes.merge(pair.split(" ")[1], 1L, Long::sum));
        Map<String, Long> followers = new LinkedHashMap<>();
        Map<String, Long> following = new LinkedHashMap<>();
        ledger.follows.forEach(pair -> {
            String[] p = pair.split(" ");
            following.merge(p[0], 1L, Long::sum);
            followers.merge(p[1], 1L, Long::sum);
        });
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        List<String> mismatches;
        do {
            mismatches = new ArrayList<>();
            for (String post : seeds) {
                JsonNode shown = api.get(users.get(0), "/v1/posts/" + post).json();
                long expectedLikes = likes.getOrDefault(post, 0L);
                long expectedComments = ledger.comments.getOrDefault(post, new AtomicLong()).get();
                if (shown.path("likes").asLong() != expectedLikes || shown.path("comments").asLong() != expectedComments) {
                    mismatches.add("post " + post + ": likes " + shown.path("likes").asLong() + "/" + expectedLikes
                            + ", comments " + shown.path("comments").asLong() + "/" + expectedComments);
                }
            }
            for (String user : users) {
                JsonNode shown = api.get(users.get(0), "/v1/users/" + user).json();
                long expectedFollowers = followers.getOrDefault(user, 0L);
                long expectedFollowing = following.getOrDefault(user, 0L);
                long expectedPosts = ledger.posts.getOrDefault(user, new AtomicLong()).get();
                if (shown.path("followers").asLong() != expectedFollowers || shown.path("following").asLong() != expectedFollowing
                        || shown.path("posts").asLong() != expectedPosts) {
                    mismatches.add("user " + user + ": followers " + shown.path("followers").asLong() + "/" + expectedFollowers
                            + ", following " + shown.path("following").asLong() + "/" + expectedFollowing
                            + ", posts " + shown.path("posts").asLong() + "/" + expectedPosts);
                }
            }
            if (!mismatches.isEmpty()) {
                Thread.sleep(1000);
            }
        } while (!mismatches.isEmpty() && System.currentTimeMillis() < deadline);
        return mismatches;
    }

    /** The same feed request, alternately through the local gateway (HTTP) and straight into the handler. */
    private static Map<String, Object> gatewayOverhead(BenchClient api, FunctionMeter meter, String user, int rounds) {
        RequestCost.ok(api.get(user, "/v1/feed"));
        APIGatewayV2HTTPEvent event = meter.lastEvent("GET /v1/feed");
        if (event == null || meter.api() == null) {
            throw new IllegalStateException("the gateway's feed event was not captured");
        }
        List<Double> http = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            BenchClient.Reply reply = api.get(user, "/v1/feed");
            http.add((System.nanoTime() - t) / 1e6);
            t = System.nanoTime();
            APIGatewayV2HTTPResponse response = meter.api().handleRequest(event, dev.glint.lambda.LocalContext.forInvocation("api", 30_000));
            direct.add((System.nanoTime() - t) / 1e6);
            if (reply.status() != 200 || response.getStatusCode() != 200) {
                throw new IllegalStateException("feed answered " + reply.status() + " over HTTP and " + response.getStatusCode() + " directly");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rounds", rounds);
        out.put("httpP50Ms", Stats.median(http));
        out.put("httpP95Ms", Stats.percentile(http, 95));
        out.put("directP50Ms", Stats.median(direct));
        out.put("directP95Ms", Stats.percentile(direct, 95));
        out.put("overheadP50Ms", Stats.median(http) - Stats.median(direct));
        return out;
    }

    /**
     * What the stream's event filter removed during the load mix: records read from the stream and
     * passed to the processor, and reads (each an invocation without the filter) that kept a record.
     */
    private static Map<String, Object> streamFilter(EmbeddedStack.StreamFilterCounts before, EmbeddedStack.StreamFilterCounts after) {
        var delta = new EmbeddedStack.StreamFilterCounts(after.recordsRead() - before.recordsRead(),
                after.recordsPassed() - before.recordsPassed(), after.pagesRead() - before.pagesRead(),
                after.pagesPassed() - before.pagesPassed());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recordsRead", delta.recordsRead());
        out.put("recordsPassed", delta.recordsPassed());
        out.put("recordShareRemoved", delta.recordShareRemoved());
        out.put("pagesRead", delta.pagesRead());
        out.put("pagesPassed", delta.pagesPassed());
        out.put("invocationShareRemoved", delta.invocationShareRemoved());
        return out;
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private Report report(Bench.Settings settings, double seconds, int users, int threads, List<String> mismatches,
                          Map<String, Object> overhead) {
        long total = latencies.values().stream().mapToLong(ConcurrentLinkedQueue::size).sum();
        long errorCount = errors.values().stream().mapToLong(AtomicLong::get).sum();
        Report report = new Report("load", String.format("Load: %d users, %d client threads, %.0f s; %.0f requests/s overall",
                users, threads, seconds, total / seconds),
                List.of("route", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"));
        List<String> routes = new ArrayList<>(latencies.keySet());
        Collections.sort(routes);
        for (String route : routes) {
            double[] sorted = latencies.get(route).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            long errs = errors.getOrDefault(route, new AtomicLong()).get();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("route", route);
            record.put("requests", sorted.length);
            record.put("errors", errs);
            record.put("perSecond", sorted.length / seconds);
            record.put("p50Ms", Stats.percentile(sorted, 50));
            record.put("p95Ms", Stats.percentile(sorted, 95));
            record.put("p99Ms", Stats.percentile(sorted, 99));
            record.put("maxMs", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
            report.row(List.of(route, Integer.toString(sorted.length), Long.toString(errs), Report.fixed(sorted.length / seconds, 1),
                    Report.ms(Stats.percentile(sorted, 50)), Report.ms(Stats.percentile(sorted, 95)),
                    Report.ms(Stats.percentile(sorted, 99)), Report.ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1])), record);
        }
        report.row(List.of("gateway overhead (GET /v1/feed)", Integer.toString((int) overhead.get("rounds")), "",
                "", Report.ms((double) overhead.get("overheadP50Ms")), "", "", ""), Map.of("route", "gateway overhead", "overhead", overhead));
        report.check("no errors", errorCount == 0, errorCount + " errors" + (errorSamples.isEmpty() ? "" : ", e.g. " + errorSamples.peek()));
        long unchangedPages = notModified.get() + unchangedMisses.get();
        report.note(String.format("feed ETags: %d of %d revalidations answered 304 (%.1f %%); of the pages that had not changed"
                        + " (signed URLs aside), %d of %d (%.1f %%)", notModified.get(), revalidations.get(),
                percent(notModified.get(), revalidations.get()), notModified.get(), unchangedPages,
                percent(notModified.get(), unchangedPages)));
        report.note(String.format("feed ETags of pages holding signed media URLs: %d of %d revalidations answered 304 (%.1f %%)",
                notModifiedWithUrls.get(), revalidationsWithUrls.get(), percent(notModifiedWithUrls.get(), revalidationsWithUrls.get())));
        report.detail("feedEtags", Map.of("revalidations", revalidations.get(), "notModified", notModified.get(),
                "unchangedButResent", unchangedMisses.get(), "hitRatePercent", percent(notModified.get(), revalidations.get()),
                "hitRateOfUnchangedPercent", percent(notModified.get(), unchangedPages),
                "revalidationsWithUrls", revalidationsWithUrls.get(), "notModifiedWithUrls", notModifiedWithUrls.get()));
        report.check("the API's counts equal what the clients did", mismatches.isEmpty(), mismatches.isEmpty()
                ? String.format("%d likes, %d comments, %d follows, %d posts", ledger.likes.size(),
                ledger.comments.values().stream().mapToLong(AtomicLong::get).sum(), ledger.follows.size(),
                ledger.posts.values().stream().mapToLong(AtomicLong::get).sum())
                : mismatches.size() + " differ, e.g. " + mismatches.get(0));
        report.note(String.format("gateway overhead, GET /v1/feed: HTTP p50 %s ms vs the handler called directly p50 %s ms (p95 %s vs %s) over %d alternating rounds",
                Report.ms((double) overhead.get("httpP50Ms")), Report.ms((double) overhead.get("directP50Ms")),
                Report.ms((double) overhead.get("httpP95Ms")), Report.ms((double) overhead.get("directP95Ms")), (int) overhead.get("rounds")));
        Map<String, Long> mix = new LinkedHashMap<>();
        actions.forEach((a, n) -> mix.put(a.name().toLowerCase(java.util.Locale.ROOT), n.get()));
        report.note("actions done: " + mix + "; presigned PUTs retried after a 5xx: " + putRetries.get());
        report.detail("errors", new ArrayList<>(errorSamples));
        report.detail("mismatches", mismatches);
        report.detail("overhead", overhead);
        report.detail("mix", mix);
        report.detail("seconds", seconds);
        report.detail("quick", settings.quick());
        report.detail("ledger", Map.of("likes", ledger.likes.size(), "follows", ledger.follows.size(),
                "comments", ledger.comments.values().stream().mapToLong(AtomicLong::get).sum(),
                "posts", ledger.posts.values().stream().mapToLong(AtomicLong::get).sum()));
        return report;
    }
}
