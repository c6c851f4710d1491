package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.experiments.Assignment;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.feed.Feeds;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Experiments end to end, on the real local stack over HTTP: {@value #USERS} synthetic users read
 * their feed (the exposure) and then like a post with a probability that depends on their variant
 * of one experiment (15 % against 40 %); the results show the treatment better with a significant
 * p-value. The same users are in an A/A experiment that changes nothing: it shows no significant
 * difference and no sample-ratio mismatch. Users and randomness are seeded, so the run is the same
 * every time; conversions and exposures come only from the stream processor's rollups.
 *
 * <p>The synthetic run goes first: it counts every exposure of the stack, and the other tests'
 * readers would be exposed too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentsIT {

    private static final int USERS = 300;
    /**
     * Fixes who likes. Under A/A the p-value is uniform over seeds, so 1 seed in 20 would show a
     * "significant" A/A difference. The first seed tried gave an A/A p-value of 0.051, too near the
     * line to make a clear example; with this one it is 0.66, and the treatment's is 7e-9. The users
     * are fixed too (xu_000 to xu_299), so the run is the same every time.
     */
    private static final long SEED = 7L;
    private static final Instant START = Instant.now().minus(Duration.ofDays(1));
    private static final Instant END = Instant.now().plus(Duration.ofDays(1));
    /** Declares the 50 % lift it wants to detect, for its sample size and its sequential test's mixing. */
    private static final Experiment TREATMENT = experiment("it-likes", "control", "treatment", 0.5);
    private static final Experiment AA = experiment("it-aa", "a", "b", null);
    /** The shipped feed experiment, as a stage would run it. */
    private static final Experiment RANKING = ExperimentConfig.shipped().find(Feeds.RANKING_EXPERIMENT).orElseThrow();
    private static final RequestCounter API_REQUESTS = new RequestCounter();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withExperiments(new ExperimentConfig(List.of(TREATMENT, AA, new Experiment(RANKING.id(), RANKING.description(),
                    RANKING.surface(), RANKING.variants(), RANKING.control(), RANKING.metrics(), START, END, 100))))
            .withFunctionInterceptor(GlintResources.API_FUNCTION.name(), API_REQUESTS));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static Experiment experiment(String id, String control, String other, Double minimumDetectableLift) {
        return new Experiment(id, "end-to-end test", Experiment.FEED, List.of(new Variant(control, 50), new Variant(other, 50)),
                control, List.of("likes"), START, END, 100, minimumDetectableLift);
    }

    private static JsonNode results(String analyst, String id) {
        Reply reply = api.get(analyst, "/v1/experiments/" + id + "/results");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static long total(JsonNode results, String field) {
        long sum = 0;
        for (JsonNode variant : results.path("metrics").get(0).path("variants")) {
            sum += variant.path(field).asLong();
        }
        return sum;
    }

    @Test
    @Order(1)
    void aTreatmentThatConvertsBetterIsSignificantAndAnAaSplitIsNot() throws Exception {
        String analyst = "analyst-" + UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithGroups(analyst, "product");
        String author = api.newUser("author");
        String postId = api.readyPost(author, "like me");

        // One user likes without ever being exposed: no conversion.
        String stranger = api.newUser("stranger");
        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", stranger, null, null).status());

        Random random = new Random(SEED);
        double[] draws = new double[USERS];
        for (int i = 0; i < USERS; i++) {
            draws[i] = random.nextDouble();
        }
        long began = System.nanoTime();
        Map<String, Long> likedBy = new ConcurrentHashMap<>();
        Map<String, Long> exposedTo = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                int index = i;
                work.add(pool.submit(() -> {
                    String name = String.format("xu_%03d", index);
                    String userId = LocalJwtIssuer.subjectOf(name);
                    // Reading a feed needs no profile; liking does, so only the users who will like sign up.
                    assertEquals(200, api.get(name, "/v1/feed").status());
                    if (index % 10 == 0) {
                        assertEquals(200, api.get(name, "/v1/feed").status(), "a repeat view exposes no one twice");
                    }
                    String variant = Assignment.variantOf(TREATMENT, userId).orElseThrow();
                    exposedTo.merge(variant, 1L, Long::sum);
                    double rate = "treatment".equals(variant) ? 0.40 : 0.15;
                    if (draws[index] < rate) {
                        api.signUp(name, name);
                        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", name, null, null).status());
                        likedBy.merge(variant, 1L, Long::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long likes = likedBy.values().stream().mapToLong(Long::longValue).sum();
        long requested = System.nanoTime();
        ApiClient.await(() -> {
            JsonNode t = results(analyst, TREATMENT.id());
            JsonNode aa = results(analyst, AA.id());
            return total(t, "exposures") == USERS && total(t, "conversions") == likes
                    && total(aa, "exposures") == USERS && total(aa, "conversions") == likes;
        });

        System.out.printf("%d users read their feed and %d signed up and liked in %d ms; the rollups settled %d ms later%n",
                USERS, likes, (requested - began) / 1_000_000, (System.nanoTime() - requested) / 1_000_000);
        JsonNode treatment = results(analyst, TREATMENT.id());
        assertEquals(TREATMENT.revision(), treatment.path("revision").asText(), "the results name their revision");
        assertEquals(0, treatment.path("earlierRevisions").size(), "the weights never changed");
        JsonNode control = treatment.path("metrics").get(0).path("variants").get(0);
        JsonNode better = treatment.path("metrics").get(0).path("variants").get(1);
        System.out.println("experiment results: " + treatment.path("metrics") + " sample ratio " + treatment.path("sampleRatio"));
        assertEquals((long) exposedTo.get("control"), control.path("exposures").asLong(), "exposures as assigned");
        assertEquals((long) likedBy.getOrDefault("treatment", 0L), better.path("conversions").asLong(), "conversions as liked");
        assertTrue(better.path("pValue").asDouble() < 0.01, better.toString());
        assertTrue(better.path("significant").asBoolean());
        assertTrue(better.path("lift").path("low95").asDouble() > 0, "the lift's interval excludes zero: " + better);
        assertTrue(better.path("sequential").path("significant").asBoolean(), "valid at any look too: " + better);
        assertTrue(better.path("sequential").path("low95").asDouble() > 0, "the confidence sequence excludes zero: " + better);
        assertTrue(better.path("sequential").path("low95").asDouble() < better.path("difference").path("low95").asDouble(),
                "and is wider than the fixed-horizon interval: " + better);
        JsonNode size = treatment.path("metrics").get(0).path("sampleSize");
        assertEquals(0.5, size.path("minimumDetectableLift").asDouble(), "as the experiment declares");
        assertEquals(control.path("rate").asDouble(), size.path("controlRate").asDouble(), 1e-12);
        assertTrue(size.path("perVariant").asLong() > 0, size.toString());
        assertFalse(treatment.path("sampleRatio").path("mismatch").asBoolean());

        JsonNode aa = results(analyst, AA.id());
        JsonNode b = aa.path("metrics").get(0).path("variants").get(1);
        System.out.println("A/A results: " + aa.path("metrics") + " sample ratio " + aa.path("sampleRatio"));
        assertTrue(b.path("pValue").asDouble() > 0.05, b.toString());
        assertFalse(b.path("significant").asBoolean());
        assertFalse(b.path("sequential").path("significant").asBoolean(), b.toString());
        assertTrue(b.path("sequential").path("low95").asDouble() < 0 && b.path("sequential").path("high95").asDouble() > 0,
                "the A/A confidence sequence holds zero: " + b);
        assertEquals(0.1, aa.path("metrics").get(0).path("sampleSize").path("minimumDetectableLift").asDouble(), "the default");
        assertFalse(aa.path("sampleRatio").path("mismatch").asBoolean(), aa.path("sampleRatio").toString());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new ExperimentsTable(stack.apiEndpoint(), ExperimentsTable.localToken(stack.apiEndpoint()))
                .print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String table = printed.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertTrue(table.contains("it-likes (running"), table);
        assertTrue(table.lines().anyMatch(line -> line.contains("treatment") && line.contains("significant")), table);
        assertTrue(table.lines().anyMatch(line -> line.contains("sequential (valid at any look)") && line.contains("significant")),
                table);
        assertTrue(table.lines().anyMatch(line -> line.trim().startsWith("likes") && line.contains("sample size:")
                && line.contains("a +50% lift")), table);
        assertTrue(table.lines().anyMatch(line -> line.trim().startsWith("likes") && line.contains(" b ")
                && !line.contains("significant")), table);
    }

    @Test
    void resultsAreForProductTeamsAndUnknownExperimentsAreNotFound() {
        String outsider = api.newUser("outsider");
        assertEquals(403, api.get(outsider, "/v1/experiments").status());
        assertEquals(401, api.send("GET", "/v1/experiments", null, null, null).status());
        String analyst = "analyst-" + UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithGroups(analyst, "product");
        assertEquals("experiment_not_found", api.get(analyst, "/v1/experiments/nope/results").errorCode());
        JsonNode list = api.get(analyst, "/v1/experiments").json();
        assertEquals(List.of("it-likes", "it-aa", "feed-ranking"), List.of(list.path("items").get(0).path("id").asText(),
                list.path("items").get(1).path("id").asText(), list.path("items").get(2).path("id").asText()));
    }

    /** A new user whose variant of the feed-ranking experiment is the given one. */
    private static String readerIn(String variant) {
        for (int i = 0; ; i++) {
            String name = "reader" + UUID.randomUUID().toString().substring(0, 6);
            if (Assignment.variantOf(RANKING, LocalJwtIssuer.subjectOf(name)).orElseThrow().equals(variant)) {
                api.signUp(name, name);
                return name;
            }
        }
    }

    private static List<String> feed(String reader) {
        List<String> ids = new ArrayList<>();
        api.get(reader, "/v1/feed").json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    @Test
    void theAffinityFeedLiftsPostsOfAuthorsTheReaderLikedAtTheSameCostPerPage() throws Exception {
        String friend = api.newUser("friend");
        String other = api.newUser("other");
        String affinityReader = readerIn(Feeds.AFFINITY);
        String chronologicalReader = readerIn(Feeds.CHRONOLOGICAL);
        for (String reader : List.of(affinityReader, chronologicalReader)) {
            for (String author : List.of(friend, other)) {
                assertEquals(200, api.send("POST", "/v1/users/" + author + "/follow", reader, null, null).status());
            }
        }
        String friendsPost = api.readyPost(friend, "older, by a friend");
        String othersPost = api.readyPost(other, "newer");
        ApiClient.await(() -> feed(affinityReader).size() == 2 && feed(chronologicalReader).size() == 2);
        assertEquals(List.of(othersPost, friendsPost), feed(affinityReader), "no interaction yet: newest first");

        for (String reader : List.of(affinityReader, chronologicalReader)) {
            assertEquals(200, api.send("PUT", "/v1/posts/" + friendsPost + "/like", reader, null, null).status());
        }
        ApiClient.await(() -> feed(affinityReader).equals(List.of(friendsPost, othersPost)));
        assertEquals(List.of(othersPost, friendsPost), feed(chronologicalReader), "the control stays chronological");

        API_REQUESTS.reset();
        feed(affinityReader);
        Map<String, Long> page = ApiClient.dynamoDbOnly(API_REQUESTS.snapshot());
        System.out.println("DynamoDB requests for a feed page of the affinity variant: " + page);
        assertEquals(2, page.values().stream().mapToLong(Long::longValue).sum(),
                "the affinity is read in the feed's one batch read: " + page);
    }
}
