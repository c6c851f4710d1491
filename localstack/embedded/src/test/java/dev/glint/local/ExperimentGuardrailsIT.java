package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.experiments.Assignment;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentGuard;
import dev.glint.shared.experiments.Guardrails;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency guardrail on the running local stack, as deployed: the api measures each request of a
 * user in a variant, flushes the counts (every second locally), and the check (every second here)
 * stops the experiment whose treatment's users are served slowly, with the reason, while an
 * experiment running beside it over the same healthy users keeps running.
 *
 * <p>The plant is the local stack's fault hook, an interceptor on the api's AWS clients: every
 * DynamoDB call about one of the treatment's users waits 250 ms (a slow partition, as a hot key
 * makes one). The product code is the deployed code; nothing in it knows about the test.
 */
class ExperimentGuardrailsIT {

    private static final Instant START = Instant.now().minus(Duration.ofDays(1));
    private static final Instant END = Instant.now().plus(Duration.ofDays(1));
    private static final List<Variant> SPLIT = List.of(new Variant("a", 1), new Variant("b", 1));
    private static final List<String> WATCHED = List.of(Experiment.ERROR_RATE, Experiment.P95_LATENCY);
    /** Its treatment's users are the slow ones. */
    private static final Experiment SLOWED = new Experiment("slowed", "treatment served slowly", Experiment.FEED, SPLIT, "a",
            List.of("likes"), START, END, 50, null, false, WATCHED);
    /** Only healthy users are in it, split evenly. */
    private static final Experiment CALM = new Experiment("calm", "nothing wrong", Experiment.FEED, SPLIT, "a",
            List.of("likes"), START, END, 50, null, false, WATCHED);

    private static final Set<String> SLOW_SUBJECTS = ConcurrentHashMap.newKeySet();

    /** Slows every DynamoDB call of the api that names one of the slow users. */
    private static final ExecutionInterceptor SLOW_PARTITION = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (!"DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
                return;
            }
            String request = context.request().toString();
            if (SLOW_SUBJECTS.stream().anyMatch(request::contains)) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    };

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withExperiments(new ExperimentConfig(List.of(SLOWED, CALM))).withExperimentChecks(Duration.ofSeconds(1))
            .withReadLimits(1_000, 1_000).withWriteLimits(1_000, 1_000)
            .withFunctionInterceptor(GlintResources.API_FUNCTION.name(), SLOW_PARTITION));
    @StackExtension.Inject
    private static ApiClient api;

    private static Optional<String> variant(Experiment experiment, String name) {
        return Assignment.variantOf(experiment, LocalJwtIssuer.subjectOf(name));
    }

    /** The first {@code count} names with the prefix whose assignments pass. */
    private static List<String> users(String prefix, int count, Predicate<String> wanted) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            if (wanted.test(prefix + i)) {
                out.add(prefix + i);
            }
        }
        return out;
    }

    private static JsonNode listed(String pm, String id) {
        Reply reply = api.get(pm, "/v1/experiments");
        assertEquals(200, reply.status(), reply.body());
        for (JsonNode item : reply.json().path("items")) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no experiment " + id + " in " + reply.body());
    }

    private static JsonNode guardrails(String pm, String id) {
        Reply results = api.get(pm, "/v1/experiments/" + id + "/results");
        assertEquals(200, results.status(), results.body());
        return results.json().path("guardrails");
    }

    @Test
    void aTreatmentServedSlowlyIsStoppedOnP95LatencyAndAHealthyExperimentKeepsRunning() throws Exception {
        // The product manager is in neither experiment, so their own reads count nowhere.
        String pm = users("gpm_", 1, n -> variant(SLOWED, n).isEmpty() && variant(CALM, n).isEmpty()).get(0);
        api.tokenWithGroups(pm, "product");
        // Healthy users: SLOWED's control, and in CALM (either variant, as the split falls).
        List<String> healthy = new ArrayList<>(users("calm_a_", 3, n -> variant(SLOWED, n).equals(Optional.of("a"))
                && variant(CALM, n).equals(Optional.of("a"))));
        healthy.addAll(users("calm_b_", 3, n -> variant(SLOWED, n).equals(Optional.of("a"))
                && variant(CALM, n).equals(Optional.of("b"))));
        // Slow users: SLOWED's treatment, and not in CALM.
        List<String> slow = users("slow_", 3, n -> variant(SLOWED, n).equals(Optional.of("b")) && variant(CALM, n).isEmpty());
        slow.forEach(name -> SLOW_SUBJECTS.add(LocalJwtIssuer.subjectOf(name)));
        // Interleaved, so the slow users' requests run beside the healthy ones'.
        List<String> everyone = new ArrayList<>();
        for (int i = 0; i < healthy.size(); i++) {
            everyone.add(healthy.get(i));
            if (i % 2 == 1) {
                everyone.add(slow.get(i / 2));
            }
        }
        everyone.forEach(api::token);
        // The stack's first requests load classes and warm the JIT: the product manager's (counted nowhere)
        // take that, so neither experiment's arms start with a few cold requests.
        for (int i = 0; i < 40; i++) {
            api.get(pm, "/v1/me");
        }

        // The same request from everyone: their own profile (none yet, so 404: not an error of the server).
        ApiClient.forEachUser(everyone, 4, user -> {
            for (int i = 0; i < 25; i++) {
                Reply me = api.get(user, "/v1/me");
                assertTrue(me.status() < 500, me.body());
            }
        });

        try {
            ApiClient.await(() -> "stopped".equals(listed(pm, SLOWED.id()).path("status").asText()));
        } catch (AssertionError e) {
            throw new AssertionError("not stopped; its guardrails: " + guardrails(pm, SLOWED.id()), e);
        }

        JsonNode stopped = listed(pm, SLOWED.id());
        String reason = stopped.path("stoppedReason").asText();
        assertTrue(reason.startsWith("guardrail p95_latency degraded in variant b (p="), reason);
        assertEquals(ExperimentGuard.SYSTEM.userId(), stopped.path("stoppedBy").path("id").asText(), stopped.toString());
        Reply log = api.get(pm, "/v1/experiments/" + SLOWED.id() + "/changes");
        assertEquals(200, log.status(), log.body());
        JsonNode stop = log.json().path("items").get(0);
        assertEquals(reason, stop.path("reason").asText(), stop.toString());
        assertEquals("stopped", stop.path("fields").path("status").path("after").asText(), stop.toString());

        // The healthy experiment: once its counts are in (each arm past the minimum sample), the checks that
        // follow (one a second) judge it on them, and it is not degraded: it keeps running.
        ApiClient.await(() -> {
            for (JsonNode entry : guardrails(pm, CALM.id())) {
                if (entry.path("n").asLong() < Guardrails.MINIMUM_SAMPLE) {
                    return false;
                }
            }
            return true;
        });
        Thread.sleep(3_000);
        JsonNode calm = guardrails(pm, CALM.id());
        assertEquals(4, calm.size(), "each guardrail for each variant, the control included: " + calm);
        for (JsonNode entry : calm) {
            assertTrue(entry.path("n").asLong() >= Guardrails.MINIMUM_SAMPLE, entry.toString());
            assertFalse(entry.path("degraded").asBoolean(), entry.toString());
            boolean control = entry.path("variant").asText().equals(CALM.control());
            if (control) {
                assertTrue(entry.path("pValue").isNull(), "the control is not tested against itself: " + entry);
            } else if (entry.path("metric").asText().equals(Experiment.P95_LATENCY)) {
                assertTrue(entry.path("pValue").asDouble() >= Guardrails.THRESHOLD, entry.toString());
            }
        }
        assertEquals("running", listed(pm, CALM.id()).path("status").asText());
        Reply calmLog = api.get(pm, "/v1/experiments/" + CALM.id() + "/changes");
        assertEquals(0, calmLog.json().path("items").size(), "nothing stopped it: " + calmLog.body());

        // The stopped one's results show the degraded guardrail the reason names.
        JsonNode slowed = guardrails(pm, SLOWED.id());
        boolean degraded = false;
        for (JsonNode entry : slowed) {
            if (entry.path("metric").asText().equals(Experiment.P95_LATENCY) && entry.path("variant").asText().equals("b")) {
                degraded = entry.path("degraded").asBoolean();
                assertTrue(entry.path("value").asDouble() >= 250, "b's p95 includes the 250 ms wait: " + entry);
            }
        }
        assertTrue(degraded, slowed.toString());
    }
}
