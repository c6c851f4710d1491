package dev.glint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.EmbeddedStack;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.resources.GlintResources;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Request cost: for each API operation, and for the worker messages it causes, the DynamoDB requests
 * and request units, S3 and SQS requests that each function's AWS clients send (counted by SDK
 * interceptors), Lambda invocations and time; then the monthly AWS bill of a million typical
 * user-days at the on-demand prices of {@code localstack/bench/prices.json}.
 */
final class RequestCost {

    static final String PRICES = "localstack/bench/prices.json";
    private static final List<String> FUNCTIONS = GlintResources.FUNCTIONS.stream().map(GlintResources.FunctionSpec::name).toList();
    /** The client's own PUT to the presigned URL: billed as an S3 PUT, sent by no function. */
    private static final String CLIENT = "client";

    /** What one function did during one operation. */
    record Usage(String function, long invocations, double lambdaMs, long dynamoRequests, double readUnits,
                 double writeUnits, long s3PutClass, long s3GetClass, long sqsRequests, Map<String, Long> requests,
                 Map<String, Long> successes) {
        boolean idle() {
            return invocations == 0 && dynamoRequests == 0 && s3PutClass == 0 && s3GetClass == 0 && sqsRequests == 0
                    && requests.isEmpty();
        }
    }

    record Meter(RequestCounter requests, CapacityCounter capacity) {
    }

    private RequestCost() {
    }

    static Report run(Bench.Settings settings) throws Exception {
        JsonNode config = BenchClient.JSON.readTree(Files.readString(settings.root().resolve(PRICES)));
        Map<String, Meter> meters = new LinkedHashMap<>();
        FunctionMeter functions = new FunctionMeter();
        // The realtime part's largest audience must not be a celebrity's; one follower more must (RealtimeCost).
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults().withGatewayPort(0).withVisibilityTimeout(2)
                .withPrefix("bench-cost-" + UUID.randomUUID().toString().substring(0, 8)).withDecorator(functions)
                .withCelebrityThreshold(RealtimeCost.celebrityThreshold(settings.quick()));
        for (String function : FUNCTIONS) {
            Meter meter = new Meter(new RequestCounter(), new CapacityCounter());
            meters.put(function, meter);
            options = options.withFunctionInterceptor(function, meter.requests()).withFunctionInterceptor(function, meter.capacity());
        }
        long quietMs = settings.quick() ? 1200 : 2000;
        Map<String, List<Usage>> operations = new LinkedHashMap<>();
        try (EmbeddedStack stack = EmbeddedStack.start(options)) {
            BenchClient api = new BenchClient(stack.apiEndpoint(), 4);
            // The full run goes through every operation twice and reports the second pass: the first
            // warms the handlers' code paths, whose time a warm Lambda would not pay on every call.
            String feedItems = "";
            for (int pass = settings.quick() ? 1 : 0; pass < 2; pass++) {
                operations.clear();
                feedItems = operations(api, meters, functions, quietMs, operations);
            }
            Report report = report(config, operations, feedItems);
            report.also(RealtimeCost.run(stack, api, config, meters, functions, quietMs, settings.quick()));
            return report;
        }
    }

    /** Every operation once, each measured alone with the work it causes; returns the size of the feed page read. */
    private static String operations(BenchClient api, Map<String, Meter> meters, FunctionMeter functions, long quietMs,
                                     Map<String, List<Usage>> operations) throws InterruptedException {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String author = "author_" + suffix;
        String reader = "reader_" + suffix;
        String fan = "fan_" + suffix;
        String newcomer = "new_" + suffix;
        for (String user : List.of(author, reader, fan)) {
            api.signUp(user);
        }
        ok(api.send("POST", "/v1/users/" + author + "/follow", reader, null));
        ok(api.send("POST", "/v1/users/" + author + "/follow", fan, null));
        String firstPost = null;
        for (int i = 0; i < 3; i++) {
            firstPost = postPhoto(api, author);
        }
        String postId = firstPost;
        awaitReady(api, author, postId);
        quiet(meters, functions, quietMs);

        Measure op = (name, action) -> operations.put(name, measure(meters, functions, quietMs, action));
        op.run("sign up", () -> api.signUp(newcomer));
        op.run("read my profile", () -> ok(api.get(reader, "/v1/me")));
        op.run("view a profile", () -> ok(api.get(reader, "/v1/users/" + author)));
        op.run("follow", () -> ok(api.send("POST", "/v1/users/" + author + "/follow", newcomer, null)));
        op.run("unfollow", () -> ok(api.send("DELETE", "/v1/users/" + author + "/follow", newcomer, null)));
        String[] posted = new String[1];
        op.run("post a photo", () -> posted[0] = postPhoto(api, author));
        op.run("view a post", () -> ok(api.get(reader, "/v1/posts/" + postId)));
        op.run("like", () -> ok(api.send("PUT", "/v1/posts/" + postId + "/like", reader, null)));
        op.run("unlike", () -> ok(api.send("DELETE", "/v1/posts/" + postId + "/like", reader, null)));
        op.run("comment", () -> ok(api.json("POST", reader, "/v1/posts/" + postId + "/comments", Map.of("text", "Lovely light"))));
        op.run("list comments", () -> ok(api.get(reader, "/v1/posts/" + postId + "/comments")));
        // A reader's first feed page in a container records their exposure to the running feed
        // experiment (a conditional put, once per user and experiment; a memory per container skips
        // the rest): measured apart from the pages after it, which are what a feed read costs.
        op.run("first feed page (records the experiment exposure)", () -> ok(api.get(reader, "/v1/feed")));
        op.run("home feed page", () -> ok(api.get(reader, "/v1/feed")));
        op.run("notifications", () -> ok(api.get(author, "/v1/notifications")));
        op.run("a user's posts", () -> ok(api.get(reader, "/v1/users/" + author + "/posts")));
        operations.get("post a photo").add(new Usage(CLIENT, 0, 0, 0, 0, 0, 1, 0, 0,
                Map.of("S3.PutObject (presigned, by the client)", 1L), Map.of("S3.PutObject (presigned, by the client)", 1L)));
        String feedItems = Integer.toString(api.get(reader, "/v1/feed").json().path("items").size());
        awaitReady(api, author, posted[0]);
        return feedItems;
    }

    private interface Measure {
        void run(String name, Runnable action) throws InterruptedException;
    }

    static List<Usage> measure(Map<String, Meter> meters, FunctionMeter functions, long quietMs, Runnable action)
            throws InterruptedException {
        meters.values().forEach(m -> {
            m.requests().reset();
            m.capacity().reset();
        });
        functions.reset();
        action.run();
        quiet(meters, functions, quietMs);
        List<Usage> usages = new ArrayList<>();
        for (var entry : meters.entrySet()) {
            String function = entry.getKey();
            Map<String, Long> requests = entry.getValue().requests().snapshot();
            long s3Put = 0;
            long s3Get = 0;
            for (var r : requests.entrySet()) {
                String op = r.getKey();
                if (op.startsWith("S3.")) {
                    if (op.startsWith("S3.Get") || op.startsWith("S3.Head")) {
                        s3Get += r.getValue();
                    } else if (!op.startsWith("S3.Delete")) {
                        s3Put += r.getValue(); // PUT, COPY, POST and LIST are one price class; DELETE is free
                    }
                }
            }
            Usage usage = new Usage(function, functions.invocations(function), functions.millis(function),
                    entry.getValue().requests().total("DynamoDb"), entry.getValue().capacity().readUnits(),
                    entry.getValue().capacity().writeUnits(), s3Put, s3Get, entry.getValue().requests().total("Sqs"), requests,
                    entry.getValue().requests().successes());
            if (!usage.idle()) {
                usages.add(usage);
            }
        }
        return usages;
    }

    /** Waits until no function has sent a request or been invoked for {@code quietMs}: the operation's echoes are over. */
    static void quiet(Map<String, Meter> meters, FunctionMeter functions, long quietMs) throws InterruptedException {
        Supplier<Long> activity = () -> functions.totalInvocations()
                + meters.values().stream().mapToLong(m -> m.requests().snapshot().values().stream().mapToLong(Long::longValue).sum()).sum();
        long deadline = System.currentTimeMillis() + 60_000;
        long last = activity.get();
        long stableSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - stableSince < quietMs && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            long now = activity.get();
            if (now != last) {
                last = now;
                stableSince = System.currentTimeMillis();
            }
        }
    }

    private static Report report(JsonNode config, Map<String, List<Usage>> operations, String feedItems) {
        JsonNode prices = config.path("prices");
        Report report = new Report("cost", "Request cost per operation (and the worker messages it causes), priced at "
                + config.path("region").asText() + " on-demand list prices checked " + config.path("checked").asText(),
                List.of("operation", "function", "calls", "DDB req", "RRU", "WRU", "S3 put/list", "S3 get", "SQS", "Lambda ms", "$ per 1M"));
        Map<String, Double> costPerOperation = new LinkedHashMap<>();
        for (var op : operations.entrySet()) {
            double total = 0;
            List<Map<String, Object>> parts = new ArrayList<>();
            for (Usage u : op.getValue()) {
                double cost = cost(u, prices);
                total += cost;
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("function", u.function());
                part.put("invocations", u.invocations());
                part.put("lambdaMs", u.lambdaMs());
                part.put("dynamodbRequests", u.dynamoRequests());
                part.put("readRequestUnits", u.readUnits());
                part.put("writeRequestUnits", u.writeUnits());
                part.put("s3PutClassRequests", u.s3PutClass());
                part.put("s3GetClassRequests", u.s3GetClass());
                part.put("sqsRequests", u.sqsRequests());
                part.put("requests", u.requests());
                part.put("successfulCalls", u.successes());
                part.put("dollarsPerMillion", cost * 1e6);
                parts.add(part);
            }
            costPerOperation.put(op.getKey(), total);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("operation", op.getKey());
            record.put("dollarsPerMillion", total * 1e6);
            record.put("byFunction", parts);
            boolean first = true;
            for (Usage u : op.getValue()) {
                report.row(List.of(first ? op.getKey() : "", u.function(), Long.toString(u.invocations()),
                        Long.toString(u.dynamoRequests()), Report.fixed(u.readUnits(), 1), Report.fixed(u.writeUnits(), 1),
                        Long.toString(u.s3PutClass()), Long.toString(u.s3GetClass()), Long.toString(u.sqsRequests()),
                        Report.ms(u.lambdaMs()), "$" + Report.fixed(cost(u, prices) * 1e6, 2)),
                        first ? record : Map.of("operation", op.getKey(), "function", u.function()));
                first = false;
            }
        }
        Usage feed = operations.get("home feed page").stream().filter(u -> u.function().equals(GlintResources.API_FUNCTION.name()))
                .findFirst().orElseThrow();
        report.check("feed read <= 2 DynamoDB requests (reader following no celebrity)", feed.dynamoRequests() <= 2,
                feed.dynamoRequests() + " requests " + feed.requests() + " for a page of " + feedItems + " posts");

        JsonNode day = config.path("typicalUserDay").path("operations");
        double perUserDay = 0;
        Map<String, Object> dayParts = new LinkedHashMap<>();
        for (var it = day.fields(); it.hasNext(); ) {
            var entry = it.next();
            Double cost = costPerOperation.get(entry.getKey());
            if (cost == null) {
                throw new IllegalStateException(PRICES + " names an operation the benchmark does not measure: " + entry.getKey());
            }
            perUserDay += cost * entry.getValue().asDouble();
            dayParts.put(entry.getKey(), Map.of("perDay", entry.getValue().asDouble(), "dollarsEach", cost));
        }
        long users = config.path("scale").path("activeUsersPerDay").asLong();
        int days = config.path("scale").path("daysPerMonth").asInt();
        double monthly = perUserDay * users * days;
        report.row(List.of("typical user-day", "all", "", "", "", "", "", "", "", "", "$" + Report.fixed(perUserDay * 1e6, 2)),
                Map.of("operation", "typical user-day", "dollarsPerMillionUserDays", perUserDay * 1e6, "operations", dayParts));
        report.detail("monthlyDollars", monthly);
        report.detail("perUserDayDollars", perUserDay);
        report.detail("prices", config);
        report.note(String.format("monthly AWS cost of %,d active users a day for %d days (%s): $%,.0f (requests and compute only; storage and data transfer not included)",
                users, days, day.toString().replace("\"", ""), monthly));
        report.note("requests are attempts, retries included (what is billed and throttled); successfulCalls in the JSON count each call once");
        report.note("Lambda ms is the handlers' time on this machine (GB-s at each function's memory, arm64 price); SQS adds 2 requests"
                + " (receive, delete) per worker invocation for the event source mapping; API Gateway charges one request per api call");
        return report;
    }

    /** Dollars for one function's part of one operation. */
    static double cost(Usage u, JsonNode prices) {
        double memoryGb = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(u.function()))
                .mapToInt(GlintResources.FunctionSpec::memoryMb).findFirst().orElse(0) / 1024.0;
        boolean queueWorker = GlintResources.QUEUES.stream().anyMatch(q -> q.consumerFunction().equals(u.function()));
        boolean api = u.function().equals(GlintResources.API_FUNCTION.name());
        double sqsRequests = u.sqsRequests() + (queueWorker ? 2.0 * u.invocations() : 0);
        return u.readUnits() * prices.path("dynamodbReadRequestUnitPerMillion").asDouble() / 1e6
                + u.writeUnits() * prices.path("dynamodbWriteRequestUnitPerMillion").asDouble() / 1e6
                + u.s3PutClass() * prices.path("s3PutCopyPostListPerThousand").asDouble() / 1e3
                + u.s3GetClass() * prices.path("s3GetSelectPerThousand").asDouble() / 1e3
                + sqsRequests * prices.path("sqsStandardRequestsPerMillion").asDouble() / 1e6
                + u.invocations() * prices.path("lambdaRequestsPerMillion").asDouble() / 1e6
                + u.lambdaMs() / 1000.0 * memoryGb * prices.path("lambdaArm64GbSecond").asDouble()
                + (api ? u.invocations() * prices.path("httpApiRequestsPerMillion").asDouble() / 1e6 : 0);
    }

    static BenchClient.Reply ok(BenchClient.Reply reply) {
        if (reply.status() < 200 || reply.status() > 299) {
            throw new IllegalStateException("unexpected " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    /** Uploads a small real photo through a presigned URL and creates a post from it; returns the post id. */
    static String postPhoto(BenchClient api, String user) {
        byte[] jpeg = SmallPhoto.jpeg();
        BenchClient.Reply upload = ok(api.presign(user, jpeg.length));
        int status = api.putBlob(upload.json(), jpeg, () -> { });
        if (status != 200) {
            throw new IllegalStateException("the presigned PUT answered " + status);
        }
        return ok(api.json("POST", user, "/v1/posts", Map.of("uploadId", upload.json().path("uploadId").asText(),
                "caption", "Morning walk #bench"))).json().path("id").asText();
    }

    static void awaitReady(BenchClient api, String user, String postId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!"ready".equals(api.get(user, "/v1/posts/" + postId).json().path("status").asText())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("post " + postId + " was not ready within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
