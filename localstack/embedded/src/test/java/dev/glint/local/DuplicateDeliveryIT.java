package dev.glint.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every consumer run with every message delivered twice and earlier batches replayed after later
 * ones: the media and fan-out workers get each SQS batch shuffled, twice, then an earlier batch
 * again; the stream processor gets each batch twice, then an earlier batch again (records inside
 * a stream batch keep their order, as a shard guarantees). The same scenario runs on a stack that
 * delivers once, in order; what a user can see afterwards (posts and counts, profiles, feeds,
 * notifications, the tag index, the daily report) and the number of table items of each kind are equal.
 */
class DuplicateDeliveryIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    private static final long SEED = 9;

    /** Delivers twice and replays earlier batches; counts what it did. */
    static final class Duplicating implements EmbeddedStack.HandlerDecorator {
        final AtomicLong batches = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong replays = new AtomicLong();
        private final Random random = new Random(SEED);

        @Override
        @SuppressWarnings("unchecked")
        public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
            if (function.equals(GlintResources.MEDIA_WORKER_FUNCTION.name())
                    || function.equals(GlintResources.FANOUT_WORKER_FUNCTION.name())) {
                return (RequestHandler<I, O>) sqs((RequestHandler<SQSEvent, SQSBatchResponse>) handler);
            }
            if (function.equals(GlintResources.STREAM_PROCESSOR_FUNCTION.name())) {
                return (RequestHandler<I, O>) stream((RequestHandler<DynamodbEvent, Object>) handler);
            }
            return handler;
        }

        private RequestHandler<SQSEvent, SQSBatchResponse> sqs(RequestHandler<SQSEvent, SQSBatchResponse> handler) {
            List<SQSEvent> history = new ArrayList<>();
            return (event, context) -> {
                batches.incrementAndGet();
                SQSBatchResponse first = handler.handleRequest(shuffled(event), context);
                SQSBatchResponse second = handler.handleRequest(shuffled(event), context);
                duplicates.addAndGet(event.getRecords().size());
                replayEarlier(history, event, handler, context);
                // A message counts as failed if either delivery failed it: the queue brings it back.
                Set<String> failed = new HashSet<>();
                for (SQSBatchResponse response : List.of(first, second)) {
                    if (response != null && response.getBatchItemFailures() != null) {
                        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
                    }
                }
                List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
                failed.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
                return new SQSBatchResponse(failures);
            };
        }

        private RequestHandler<DynamodbEvent, Object> stream(RequestHandler<DynamodbEvent, Object> handler) {
            List<DynamodbEvent> history = new ArrayList<>();
            return (event, context) -> {
                batches.incrementAndGet();
                Object first = handler.handleRequest(event, context);
                handler.handleRequest(event, context);
                duplicates.addAndGet(event.getRecords().size());
                replayEarlier(history, event, handler, context);
                return first;
            };
        }

        private <E, O> void replayEarlier(List<E> history, E event, RequestHandler<E, O> handler, Context context) {
            E earlier;
            synchronized (history) {
                earlier = history.isEmpty() ? null : history.get(random.nextInt(history.size()));
                history.add(event);
            }
            if (earlier != null) {
                handler.handleRequest(earlier, context);
                replays.incrementAndGet();
            }
        }

        private SQSEvent shuffled(SQSEvent event) {
            List<SQSEvent.SQSMessage> records = new ArrayList<>(event.getRecords());
            synchronized (random) {
                Collections.shuffle(records, random);
            }
            SQSEvent out = new SQSEvent();
            out.setRecords(records);
            return out;
        }
    }

    @Test
    void deliveringEveryMessageTwiceAndReplayingBatchesOutOfOrderEndsAsOneInOrderDelivery() throws Exception {
        Map<String, Object> once;
        try (EmbeddedStack stack = STACKS.start()) {
            once = scenario(stack);
        }
        Duplicating duplicating = new Duplicating();
        Map<String, Object> twice;
        try (EmbeddedStack stack = STACKS.start(options -> options.withDecorator(duplicating))) {
            twice = scenario(stack);
        }
        String report = "duplicates and reordering: " + duplicating.batches.get() + " batches to the media worker, the fan-out "
                + "worker and the stream processor; " + duplicating.duplicates.get() + " messages and records delivered a second time; "
                + duplicating.replays.get() + " earlier batches replayed after later ones; views compared: " + once.size()
                + " (" + once.keySet() + ")\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "duplicates.txt"), report + "once:  " + once + "\ntwice: " + twice + "\n");
        System.out.println(report);
        assertTrue(duplicating.duplicates.get() > 0 && duplicating.replays.get() > 0, "nothing was duplicated: the test proved nothing");
        assertEquals(once, twice);
    }

    /** The same writes on any stack; returns what users can see, with ids replaced by their order of creation. */
    private static Map<String, Object> scenario(EmbeddedStack stack) throws Exception {
        ApiClient api = new ApiClient(stack.apiEndpoint());
        String author = "dup_author";
        String liker = "dup_liker";
        List<String> fans = List.of("dup_fan1", "dup_fan2", "dup_fan3");
        for (String user : List.of(author, liker, "dup_fan1", "dup_fan2", "dup_fan3")) {
            api.signUp(user, user);
        }
        for (String fan : fans) {
            assertEquals(200, api.send("POST", "/v1/users/" + author + "/follow", fan, null, null).status());
        }
        assertEquals(200, api.send("POST", "/v1/users/" + author + "/follow", liker, null, null).status());
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            posts.add(api.readyPost(author, "photo " + i + " #dupcheck"));
        }
        for (String postId : posts) {
            assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", liker, null, null).status());
            assertEquals(201, api.json("POST", liker, "/v1/posts/" + postId + "/comments", Map.of("text", "nice")).status());
        }
        assertEquals(200, api.send("PUT", "/v1/posts/" + posts.get(1) + "/like", fans.get(0), null, null).status());
        assertEquals(200, api.delete(liker, "/v1/posts/" + posts.get(0) + "/like").status());
        assertEquals(200, api.delete(fans.get(2), "/v1/users/" + author + "/follow").status());
        // A comment processed after its post is gone notifies nobody: let the author hear of the comment on
        // the post about to be deleted first, so both runs see the same notifications whatever the stream's pace.
        String doomed = posts.get(2);
        ApiClient.await(() -> {
            for (JsonNode n : api.get(author, "/v1/notifications?limit=100").json().path("items")) {
                if (n.path("kind").asText().equals("comment") && n.path("postId").asText().equals(doomed)) {
                    return true;
                }
            }
            return false;
        });
        assertEquals(204, api.delete(author, "/v1/posts/" + doomed).status());
        StackSnapshot settled = StackSnapshot.quiet(stack);

        Map<String, String> index = new LinkedHashMap<>();
        for (int i = 0; i < posts.size(); i++) {
            index.put(posts.get(i), "post" + i);
        }
        Map<String, Object> view = new TreeMap<>();
        for (String postId : posts) {
            JsonNode post = api.get(author, "/v1/posts/" + postId).json();
            view.put(index.get(postId), post.path("status").asText("gone") + " likes=" + post.path("likes").asText("-")
                    + " comments=" + post.path("comments").asText("-"));
        }
        for (String user : List.of(author, liker, fans.get(0), fans.get(1), fans.get(2))) {
            JsonNode me = api.get(user, "/v1/me").json();
            view.put("profile " + user, "followers=" + me.path("followers") + " following=" + me.path("following")
                    + " posts=" + me.path("posts"));
            List<String> feed = new ArrayList<>();
            api.get(user, "/v1/feed?limit=100").json().path("items").forEach(p -> feed.add(index.get(p.path("id").asText())));
            view.put("feed " + user, feed);
        }
        List<String> notifications = new ArrayList<>();
        api.get(author, "/v1/notifications?limit=100").json().path("items").forEach(n -> notifications.add(
                n.path("kind").asText() + " by " + n.path("actor").path("handle").asText() + " on "
                        + index.getOrDefault(n.path("postId").asText(), "-")));
        Collections.sort(notifications);
        view.put("notifications of the author", notifications);
        List<String> tagged = new ArrayList<>();
        api.get(author, "/v1/tags/dupcheck/posts").json().path("items").forEach(p -> tagged.add(index.get(p.path("id").asText())));
        view.put("tag dupcheck", tagged);
        api.tokenWithGroups("dup_analyst", "product");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode day = api.get("dup_analyst", "/v1/reports/daily?from=" + today + "&to=" + today).json().path("days").path(0);
        view.put("report today", day.toString());
        Map<String, Integer> kinds = new TreeMap<>();
        // Rollups are spread over shards, each transaction picking one by its first event, so how many
        // shard items a day has depends on how batches were cut: their values are in the report above.
        settled.items().keySet().forEach(key -> kinds.merge(kind(key), 1,
                kind(key).startsWith("ROLLUP|") ? (a, b) -> 1 : Integer::sum));
        view.put("table items by kind", kinds);
        return view;
    }

    /** "POST#01J...|LIKE#u" -> "POST|LIKE": the kind of an item, without its ids. */
    private static String kind(String key) {
        String[] parts = key.split("\\|", 2);
        return word(parts[0].split("#")[0]) + "|" + word(parts[1].split("#")[0]);
    }

    private static String word(String segment) {
        return segment.matches("[A-Za-z_~-]+") ? segment : "<id>";
    }
}
