package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.experiments.Assignment;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentGuard;
import dev.glint.shared.experiments.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unlike guardrail on the running local stack: the stream processor counts likes and their
 * removals under the liker's variant, and the check stops the experiment whose treatment's users
 * take back their likes while the control's keep them.
 */
class ExperimentUnlikeGuardrailIT {

    private static final Instant START = Instant.now().minus(Duration.ofDays(1));
    private static final Instant END = Instant.now().plus(Duration.ofDays(1));
    private static final Experiment REGRETS = new Experiment("regrets", "likes taken back", Experiment.FEED,
            List.of(new Variant("keep", 1), new Variant("regret", 1)), "keep", List.of("likes"), START, END, 100, null,
            false, List.of(Experiment.UNLIKE_RATE));

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withExperiments(new ExperimentConfig(List.of(REGRETS))).withExperimentChecks(Duration.ofSeconds(1))
            .withReadLimits(1_000, 1_000).withWriteLimits(1_000, 1_000));
    @StackExtension.Inject
    private static ApiClient api;

    private static List<String> users(String prefix, String variant, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            String name = prefix + i;
            if (Assignment.variantOf(REGRETS, LocalJwtIssuer.subjectOf(name)).equals(Optional.of(variant))) {
                out.add(name);
            }
        }
        return out;
    }

    private static JsonNode listed(String pm) {
        Reply reply = api.get(pm, "/v1/experiments");
        assertEquals(200, reply.status(), reply.body());
        return reply.json().path("items").get(0);
    }

    @Test
    void likesTakenBackUnderOneVariantStopTheExperiment() throws Exception {
        String pm = "upm";
        api.tokenWithGroups(pm, "product");
        // A guardrail that does not exist is refused with its name, and nothing changes.
        Reply list = api.get(pm, "/v1/experiments");
        String version = "\"" + list.json().path("version").asInt() + "\"";
        Reply bad = api.sendBytes("PATCH", "/v1/experiments/" + REGRETS.id(), pm, ApiClient.JSON.writeValueAsBytes(
                java.util.Map.of("guardrails", List.of("unlike_rate", "regret_rate"))), "application/json",
                java.util.Map.of("If-Match", version));
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.json().path("error").path("message").asText().contains("unknown guardrail \"regret_rate\""), bad.body());
        assertEquals(0, api.get(pm, "/v1/experiments/" + REGRETS.id() + "/changes").json().path("items").size());
        assertEquals(List.of(Experiment.UNLIKE_RATE).toString(), listed(pm).path("guardrails").toString()
                .replace("\"", ""));
        String author = "author";
        api.signUp(author, author);
        List<String> posts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            posts.add(api.readyPost(author, "photo " + i));
        }
        List<String> keepers = users("keeper", "keep", 5);
        List<String> regretters = users("regretter", "regret", 5);
        List<String> fans = new ArrayList<>(keepers);
        fans.addAll(regretters);
        for (String fan : fans) {
            api.signUp(fan, fan);
        }
        ApiClient.forEachUser(fans, 4, fan -> {
            for (String post : posts) {
                Reply like = api.send("PUT", "/v1/posts/" + post + "/like", fan, null, null);
                assertTrue(like.status() < 300, like.body());
            }
            if (regretters.contains(fan)) {
                for (String post : posts) {
                    Reply unlike = api.send("DELETE", "/v1/posts/" + post + "/like", fan, null, null);
                    assertTrue(unlike.status() < 300, unlike.body());
                }
            }
        });

        ApiClient.await(() -> "stopped".equals(listed(pm).path("status").asText()));

        JsonNode stopped = listed(pm);
        String reason = stopped.path("stoppedReason").asText();
        assertTrue(reason.startsWith("guardrail unlike_rate degraded in variant regret (p="), reason);
        assertEquals(ExperimentGuard.SYSTEM.userId(), stopped.path("stoppedBy").path("id").asText(), stopped.toString());
        Reply results = api.get(pm, "/v1/experiments/" + REGRETS.id() + "/results");
        assertEquals(200, results.status(), results.body());
        JsonNode guardrails = results.json().path("guardrails");
        assertEquals(2, guardrails.size(), guardrails.toString());
        JsonNode keep = guardrails.get(0);
        assertEquals("keep", keep.path("variant").asText());
        assertEquals(50, keep.path("n").asLong(), "every like of the control counted once: " + keep);
        assertEquals(0.0, keep.path("value").asDouble(), keep.toString());
        assertTrue(keep.path("pValue").isNull(), keep.toString());
        JsonNode regret = guardrails.get(1);
        assertEquals("regret", regret.path("variant").asText());
        assertEquals(50, regret.path("n").asLong(), regret.toString());
        assertEquals(1.0, regret.path("value").asDouble(), "each like taken back, counted once: " + regret);
        assertTrue(regret.path("degraded").asBoolean(), regret.toString());
    }
}
