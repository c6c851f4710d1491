package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.experiments.Assignment;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.experiments.ExperimentGuard;
import dev.glint.shared.experiments.ExperimentStore;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Variant;
import dev.glint.shared.feed.Feeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The automatic stop on the running local stack, as deployed: the stack puts an experiments.check on
 * the fan-out queue every second (a stage's schedule does every 15 minutes), the fan-out worker checks
 * the running experiments, and one whose exposures do not follow its weights is stopped through
 * AppConfig, in the change log by the system with the reason, and its readers are served the control.
 */
class ExperimentAutoStopIT {

    private static final Instant START = Instant.now().minus(Duration.ofDays(1));
    private static final Instant END = Instant.now().plus(Duration.ofDays(1));
    private static final String ID = Feeds.RANKING_EXPERIMENT;
    private static final Experiment RANKING = new Experiment(ID, "ranking, checked", Experiment.FEED,
            List.of(new Variant("chronological", 1), new Variant("affinity", 1)), "chronological", List.of("likes"),
            START, END, 100);

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withExperiments(new ExperimentConfig(List.of(RANKING))).withExperimentChecks(Duration.ofSeconds(1)));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    /** A reader the even split serves the treatment. */
    private static String treatmentReader() {
        for (int i = 0; ; i++) {
            String name = "treated_" + i;
            if (Assignment.variantOf(RANKING, LocalJwtIssuer.subjectOf(name)).orElseThrow().equals("affinity")) {
                return name;
            }
        }
    }

    private static String order(String reader) {
        Reply feed = api.get(reader, "/v1/feed");
        assertEquals(200, feed.status(), feed.body());
        return feed.json().path("order").asText();
    }

    private static JsonNode listed(String user) {
        Reply reply = api.get(user, "/v1/experiments");
        assertEquals(200, reply.status(), reply.body());
        return reply.json().path("items").get(0);
    }

    @Test
    void aPlantedSampleRatioMismatchStopsTheExperiment() throws Exception {
        String pm = "pm_" + UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithGroups(pm, "product");
        api.signUp(pm, pm);
        String reader = treatmentReader();
        assertEquals("interactions", order(reader), "the treatment is served while the experiment runs");
        assertEquals("running", listed(pm).path("status").asText());

        // The plant: 150 exposures of the current revision, all in the control (a treatment whose exposures are
        // lost), written as the api writes them; the stream processor counts them into the rollups.
        var store = new DynamoExperimentStore(stack.clients().dynamoDb(), stack.config().table());
        for (int i = 0; i < 150; i++) {
            store.recordExposure(new ExperimentStore.Exposure(ID, RANKING.revision(), "planted-" + i, "chronological",
                    RANKING.variants(), Instant.now()), END.plus(Experiments.MARKER_GRACE));
        }

        ApiClient.await(() -> "stopped".equals(listed(pm).path("status").asText()));

        Reply log = api.get(pm, "/v1/experiments/" + ID + "/changes");
        assertEquals(200, log.status(), log.body());
        JsonNode stop = log.json().path("items").get(0);
        assertEquals(ExperimentGuard.SYSTEM.userId(), stop.path("by").path("id").asText(), stop.toString());
        assertEquals("stopped", stop.path("fields").path("status").path("after").asText(), stop.toString());
        String reason = stop.path("reason").asText();
        assertTrue(reason.startsWith("sample ratio mismatch in revision " + RANKING.revision()), reason);
        // counted so far when the check ran: at least the minimum sample (100 with the reader's), nearly all of it
        // the control's
        assertTrue(reason.matches(".*exposures chronological (99|1[0-9][0-9]) \\(weight 1\\), affinity [01] \\(weight 1\\).*"),
                reason);
        assertEquals(1, log.json().path("items").size(), "stopped once, however many checks ran since: " + log.body());
        // Flagged where the product team looks: the list and the results say why and who.
        JsonNode listed = listed(pm);
        assertEquals(reason, listed.path("stoppedReason").asText(), listed.toString());
        assertEquals(ExperimentGuard.SYSTEM.userId(), listed.path("stoppedBy").path("id").asText(), listed.toString());
        // The results show the definitions the api serves, which reach it within its poll interval (a second here).
        ApiClient.await(() -> "stopped".equals(api.get(pm, "/v1/experiments/" + ID + "/results").json()
                .path("experiment").path("status").asText()));
        Reply results = api.get(pm, "/v1/experiments/" + ID + "/results");
        assertEquals(200, results.status(), results.body());
        assertEquals(reason, results.json().path("experiment").path("stoppedReason").asText(), results.body());
        assertTrue(results.json().path("sampleRatio").path("mismatch").asBoolean(), results.body());

        // Everyone is served the control once the functions have the new version (they poll every second).
        ApiClient.await(() -> "newest".equals(order(reader)));
    }
}
