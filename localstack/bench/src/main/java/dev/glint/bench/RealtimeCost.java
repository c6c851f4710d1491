package dev.glint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.EmbeddedStack;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.resources.GlintResources;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What realtime delivery and email digests cost, on the same stack as {@link RequestCost}: a like and
 * a post with 0, 10 and (full run only) 1,000 followers connected, each socket subscribed to
 * {@code notifications} and {@code feed} through the JDK's WebSocket client (asynchronous: a thousand
 * sockets need no thousand threads); a celebrity's post; one digest run over opted-in users. For each:
 * the messages posted to connections and the ones the sockets received (which must match, each on a
 * topic its socket subscribed to, and only to the sockets that should get it), DynamoDB requests and
 * units, SES sends and Lambda time, priced at {@code prices.json}. Anything delivered where it should
 * not be stops the benchmark: it is a regression, not a figure.
 */
final class RealtimeCost {

    private static final Set<String> TOPICS = Set.of("notifications", "feed");
    private static final String POST_TO_CONNECTION = ".PostToConnection";

    private RealtimeCost() {
    }

    /** The largest audience measured: 10 followers in the quick run, 1,000 in the full one. */
    static int maxFollowers(boolean quick) {
        return quick ? 10 : 1000;
    }

    /** One follower more than the largest audience: that audience is pushed to, the celebrity's is not. */
    static long celebrityThreshold(boolean quick) {
        return maxFollowers(quick) + 1L;
    }

    /** A connected user: every message the socket receives, whole. */
    static final class Socket implements WebSocket.Listener {
        final String user;
        final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        WebSocket socket;

        Socket(String user) {
            this.user = user;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                if (!subscribed.isDone()) {
                    if (message.contains("\"subscribed\"")) {
                        subscribed.complete(null);
                    } else {
                        subscribed.completeExceptionally(new IllegalStateException(user + "'s subscribe was answered " + message));
                    }
                } else {
                    received.add(message);
                }
            }
            webSocket.request(1);
            return null;
        }

        List<String> drain() {
            List<String> out = new ArrayList<>();
            for (String m; (m = received.poll()) != null; ) {
                out.add(m);
            }
            return out;
        }
    }

    /** One measured event: what every function did, and what the sockets received. */
    private record Measured(String event, int followers, List<RequestCost.Usage> usages, long posted, long received, long units,
                            long clientMessages, long sesSends, double per) {
        long dynamoRequests() {
            return usages.stream().mapToLong(RequestCost.Usage::dynamoRequests).sum();
        }

        double readUnits() {
            return usages.stream().mapToDouble(RequestCost.Usage::readUnits).sum();
        }

        double writeUnits() {
            return usages.stream().mapToDouble(RequestCost.Usage::writeUnits).sum();
        }

        double lambdaMs() {
            return usages.stream().mapToDouble(RequestCost.Usage::lambdaMs).sum();
        }

        /** Dollars for one event (the measurement divided by {@code per}). */
        double dollars(JsonNode prices) {
            double functions = usages.stream().mapToDouble(u -> RequestCost.cost(u, prices)).sum();
            double messages = (units + clientMessages) * prices.path("webSocketMessagesPerMillion").asDouble() / 1e6;
            double mail = sesSends * prices.path("sesOutboundEmailsPerThousand").asDouble() / 1e3;
            return (functions + messages + mail) / per;
        }
    }

    static Report run(EmbeddedStack stack, BenchClient api, JsonNode config, Map<String, RequestCost.Meter> meters,
                      FunctionMeter functions, long quietMs, boolean quick) throws Exception {
        JsonNode prices = config.path("prices");
        long unitBytes = prices.path("webSocketMessageUnitBytes").asLong(32768);
        int max = maxFollowers(quick);
        List<Integer> audiences = quick ? List.of(0, 10) : List.of(0, 10, max);
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            pool.add("rt" + run + "_" + i);
        }
        Map<Integer, String> authors = new LinkedHashMap<>();
        audiences.forEach(n -> authors.put(n, "rta" + run + "_" + n));
        String liker = "rtl" + run;
        String celebrity = "rtc" + run;
        List<String> everyone = new ArrayList<>(pool);
        everyone.addAll(authors.values());
        everyone.add(liker);
        everyone.add(celebrity);

        ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "bench-realtime");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newHttpClient();
        List<Measured> measured = new ArrayList<>();
        Map<String, Socket> sockets = new LinkedHashMap<>();
        try {
            parallel(workers, everyone, api::signUp);
            List<String[]> follows = new ArrayList<>();
            for (int n : audiences) {
                for (int i = 0; i < n; i++) {
                    follows.add(new String[]{pool.get(i), authors.get(n)});
                }
            }
            // The celebrity: the whole pool and the liker, one follower over the threshold's count.
            pool.forEach(p -> follows.add(new String[]{p, celebrity}));
            follows.add(new String[]{liker, celebrity});
            parallel(workers, follows, f -> RequestCost.ok(api.send("POST", "/v1/users/" + f[1] + "/follow", f[0], null)));
            RequestCost.quiet(meters, functions, quietMs);

            // Connect and subscribe everyone: API Gateway bills the subscribe and its answer as two messages.
            List<RequestCost.Usage> connecting = RequestCost.measure(meters, functions, quietMs, () -> {
                for (String user : everyone) {
                    sockets.put(user, new Socket(user));
                }
                try {
                    parallel(workers, new ArrayList<>(sockets.values()), s -> connect(http, stack.webSocketEndpoint(), api.token(s.user), s));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Received: each subscribe's answer; billed: it and the subscribe.
            measured.add(new Measured("connect and subscribe (per connection)", 0, connecting, 0, sockets.size(), sockets.size(),
                    sockets.size(), 0, sockets.size()));
            drainAll(sockets);

            if (!quick) {
                // A post and a like nobody hears of first: the code paths' first run is not what a warm function pays.
                String warm = "rtw" + run;
                api.signUp(warm);
                String warmPost = RequestCost.postPhoto(api, warm);
                awaitReady(api, warm, warmPost);
                RequestCost.ok(api.send("PUT", "/v1/posts/" + warmPost + "/like", liker, null));
                RequestCost.quiet(meters, functions, quietMs);
                drainAll(sockets);
            }
            for (int n : audiences) {
                String author = authors.get(n);
                Set<String> followers = Set.copyOf(pool.subList(0, n));
                String[] post = new String[1];
                // Measured as the cost benchmark's "post a photo": the pipeline runs on while the quiet wait watches it.
                List<RequestCost.Usage> posting = RequestCost.measure(meters, functions, quietMs,
                        () -> post[0] = RequestCost.postPhoto(api, author));
                measured.add(delivered("post", n, posting, sockets, followers, "feed", post[0], unitBytes));
                awaitReady(api, author, post[0]);

                List<RequestCost.Usage> liking = RequestCost.measure(meters, functions, quietMs,
                        () -> RequestCost.ok(api.send("PUT", "/v1/posts/" + post[0] + "/like", liker, null)));
                measured.add(delivered("like", n, liking, sockets, Set.of(author), "notifications", post[0], unitBytes));
            }
            // A celebrity's first post promotes the author once (each follower's feed learns to pull them);
            // the next is what every later post costs.
            for (String event : List.of("first post by a celebrity (promotes them, once)", "post by a celebrity")) {
                String[] starsPost = new String[1];
                List<RequestCost.Usage> star = RequestCost.measure(meters, functions, quietMs,
                        () -> starsPost[0] = RequestCost.postPhoto(api, celebrity));
                awaitReady(api, celebrity, starsPost[0]);
                measured.add(delivered(event, max + 1, star, sockets, Set.of(), "feed", starsPost[0], unitBytes));
            }

            measured.add(digest(stack, api, meters, functions, quietMs, quick ? 5 : 50, liker, workers, run));
        } finally {
            for (Socket s : sockets.values()) {
                if (s.socket != null && !s.socket.isOutputClosed()) {
                    s.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
                }
            }
            // Their $disconnect runs before the stack stops.
            RequestCost.quiet(meters, functions, quietMs);
            workers.shutdown();
        }
        return report(config, measured, quick);
    }

    private static void connect(HttpClient http, URI endpoint, String token, Socket socket) {
        try {
            socket.socket = http.newWebSocketBuilder().buildAsync(URI.create(endpoint + "?token=" + token), socket).get(30, TimeUnit.SECONDS);
            socket.socket.sendText("{\"action\":\"subscribe\",\"topics\":[\"notifications\",\"feed\"]}", true).get(30, TimeUnit.SECONDS);
            socket.subscribed.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(socket.user + " could not connect and subscribe: " + e, e);
        }
    }

    /**
     * What an event delivered: exactly one message on {@code topic} about {@code postId} to each socket of
     * {@code recipients}, nothing to anyone else, and as many messages received as were posted.
     */
    private static Measured delivered(String event, int followers, List<RequestCost.Usage> usages, Map<String, Socket> sockets,
                                      Set<String> recipients, String topic, String postId, long unitBytes) throws InterruptedException {
        long posted = usages.stream().flatMap(u -> u.requests().entrySet().stream())
                .filter(e -> e.getKey().endsWith(POST_TO_CONNECTION)).mapToLong(Map.Entry::getValue).sum();
        // The posts are answered once the socket has the frame; its reading side may lag a little.
        long deadline = System.currentTimeMillis() + 10_000;
        while (sockets.values().stream().mapToLong(s -> s.received.size()).sum() < posted && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        long received = 0;
        long units = 0;
        List<String> wrong = new ArrayList<>();
        for (Socket socket : sockets.values()) {
            List<String> messages = socket.drain();
            received += messages.size();
            int expected = recipients.contains(socket.user) ? 1 : 0;
            for (String raw : messages) {
                units += Math.max(1, (raw.getBytes(StandardCharsets.UTF_8).length + unitBytes - 1) / unitBytes);
                JsonNode message = read(raw);
                String got = message.path("topic").asText();
                if (!TOPICS.contains(got)) {
                    wrong.add(socket.user + " got a message on " + got + ", which it never subscribed to: " + raw);
                } else if (!got.equals(topic) || !postId.equals(message.path("event").path("postId").asText())) {
                    wrong.add(socket.user + " got an unexpected message: " + raw);
                }
            }
            if (messages.size() != expected) {
                wrong.add(socket.user + " got " + messages.size() + " messages, expected " + expected
                        + (expected == 0 && event.contains("celebrity") ? " (a celebrity's post nudges nobody)" : "") + ": " + messages);
            }
        }
        if (received != posted) {
            wrong.add(posted + " messages posted to connections but " + received + " received");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(event + " with " + followers + " followers connected delivered wrongly:\n  "
                    + String.join("\n  ", wrong.subList(0, Math.min(10, wrong.size()))));
        }
        return new Measured(event, followers, usages, posted, received, units, 0, 0, 1);
    }

    /** One daily digest run over {@code users} opted-in users, each with a new follower to hear of. */
    private static Measured digest(EmbeddedStack stack, BenchClient api, Map<String, RequestCost.Meter> meters, FunctionMeter functions,
                                   long quietMs, int users, String follower, ExecutorService workers, String run) throws Exception {
        List<String> readers = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            readers.add("rtd" + run + "_" + i);
        }
        parallel(workers, readers, user -> {
            api.tokenWithEmail(user, user + "@example.com");
            api.signUp(user);
            RequestCost.ok(api.json("PUT", user, "/v1/me/preferences", Map.of("emailDigest", "daily")));
            RequestCost.ok(api.send("POST", "/v1/users/" + user + "/follow", follower, null));
        });
        RequestCost.quiet(meters, functions, quietMs);
        long mailsBefore = stack.mailsSent();
        List<RequestCost.Usage> usages = RequestCost.measure(meters, functions, quietMs, () -> stack.clients().sqs().sendMessage(r -> r
                .queueUrl(stack.queueUrl(GlintResources.FANOUT_QUEUE.logicalName()))
                .messageBody(MessageCodec.encode(DigestRun.of("daily", Instant.now().toString())))));
        long sends = usages.stream().flatMap(u -> u.requests().entrySet().stream())
                .filter(e -> e.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("sesv2.")).mapToLong(Map.Entry::getValue).sum();
        long mails = stack.mailsSent() - mailsBefore;
        if (sends != users || mails != users) {
            throw new IllegalStateException("a digest run over " + users + " opted-in users with news sent " + sends
                    + " SendEmail requests and " + mails + " mails; expected one each");
        }
        return new Measured("digest (per opted-in user with news)", 0, usages, 0, 0, 0, 0, sends, users);
    }

    private static Report report(JsonNode config, List<Measured> measured, boolean quick) {
        JsonNode prices = config.path("prices");
        Report report = new Report("realtime-cost", "Realtime and email cost per event, sockets subscribed to notifications and feed, at "
                + config.path("region").asText() + " list prices checked " + config.path("checked").asText(),
                List.of("event", "followers connected", "msgs posted", "msgs received", "DDB req", "RRU", "WRU", "SES", "Lambda ms", "$ per 1M"));
        for (Measured m : measured) {
            int decimals = m.per() != 1 ? 1 : 0;
            String followers = m.event().contains("post") || m.event().startsWith("like") ? Integer.toString(m.followers()) : "";
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("event", m.event());
            record.put("followersConnected", m.followers());
            record.put("measuredOver", m.per());
            record.put("messagesPosted", m.posted() / m.per());
            record.put("messagesReceived", m.received() / m.per());
            record.put("clientMessages", m.clientMessages() / m.per());
            record.put("billedMessageUnits", (m.units() + m.clientMessages()) / m.per());
            record.put("dynamodbRequests", m.dynamoRequests() / m.per());
            record.put("readRequestUnits", m.readUnits() / m.per());
            record.put("writeRequestUnits", m.writeUnits() / m.per());
            record.put("sesSends", m.sesSends() / m.per());
            record.put("lambdaMs", m.lambdaMs() / m.per());
            Map<String, Object> byFunction = new LinkedHashMap<>();
            m.usages().forEach(u -> byFunction.put(u.function(), Map.of("invocations", u.invocations(), "lambdaMs", u.lambdaMs(),
                    "requests", u.requests())));
            record.put("byFunction", byFunction);
            record.put("dollarsPerMillion", m.dollars(prices) * 1e6);
            report.row(List.of(m.event(), followers,
                    Report.fixed((double) m.posted() / m.per(), decimals), Report.fixed((double) m.received() / m.per(), decimals),
                    Report.fixed(m.dynamoRequests() / m.per(), decimals), Report.fixed(m.readUnits() / m.per(), 1),
                    Report.fixed(m.writeUnits() / m.per(), 1), Report.fixed(m.sesSends() / m.per(), decimals),
                    Report.ms(m.lambdaMs() / m.per()), "$" + Report.fixed(m.dollars(prices) * 1e6, 2)), record);
        }
        double perHour = 60 * prices.path("webSocketConnectionMinutesPerMillion").asDouble() / 1e6;
        report.row(List.of("a socket connected for an hour", "", "", "", "", "", "", "", "", "$" + Report.fixed(perHour * 1e6, 2)),
                Map.of("event", "a socket connected for an hour", "connectionMinutes", 60, "dollarsPerMillion", perHour * 1e6));
        report.note("a like messages its author only, whatever the audience; a post nudges each connected follower once, a"
                + " celebrity's nobody (followers read it at their next feed page); every message is checked against its socket's"
                + " subscriptions, and messages posted must equal messages received, or the benchmark stops");
        report.note("msgs are billed per 32 KB; 'connect and subscribe' counts the subscribe and its answer (2 messages) and its"
                + " $connect (authorizer and realtime function); connection minutes are billed apart (last row)");
        report.note("the digest is one daily digest.run on the fan-out queue, divided by the users it mailed");
        if (quick) {
            report.note("--quick: audiences of 0 and 10 followers; the full run adds 1,000");
        }
        return report;
    }

    private static JsonNode read(String raw) {
        try {
            return BenchClient.JSON.readTree(raw);
        } catch (Exception e) {
            throw new IllegalStateException("a socket received something that is not JSON: " + raw, e);
        }
    }

    private static void drainAll(Map<String, Socket> sockets) {
        sockets.values().forEach(Socket::drain);
    }

    private static void awaitReady(BenchClient api, String user, String postId) {
        try {
            RequestCost.awaitReady(api, user, postId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the action for each item on the pool, and rethrows the first failure. */
    private static <T> void parallel(ExecutorService workers, List<T> items, Consumer<T> action) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (T item : items) {
            done.add(workers.submit(() -> action.accept(item)));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
    }
}
