package dev.glint.shared.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;
import dev.glint.shared.social.SocialException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentAdminTest {

    /** Hosted versions in memory with AppConfig's lock: a create on top of a version that is not the latest conflicts. */
    static final class Versions implements ExperimentDefinitions {
        final List<String> contents = new ArrayList<>();
        final List<Integer> deployed = new ArrayList<>();
        /** Another writer's version, stored between this writer's read and its write. */
        String racing;

        @Override
        public Optional<Version> latest() {
            return contents.isEmpty() ? Optional.empty()
                    : Optional.of(new Version(contents.size(), contents.get(contents.size() - 1)));
        }

        @Override
        public int create(String content, int latestVersion, String description) {
            if (racing != null) {
                contents.add(racing);
                racing = null;
            }
            if (latestVersion != contents.size()) {
                throw new Conflict("not the latest");
            }
            contents.add(content);
            return contents.size();
        }

        @Override
        public void deploy(int version, String description) {
            deployed.add(version);
        }
    }

    static final class Log implements ExperimentChangeStore {
        final List<Change> changes = new ArrayList<>();

        @Override
        public void record(Change change) {
            changes.add(change);
        }

        @Override
        public List<Change> changes(String experimentId, int limit) {
            return changes.stream().filter(c -> c.experimentId().equals(experimentId))
                    .sorted(Comparator.comparing(Change::at).reversed()).limit(limit).toList();
        }
    }

    private static final String FIRST = "{\"experiments\":[{\"id\":\"x\",\"surface\":\"feed\",\"variants\":[{\"name\":\"a\",\"weight\":1},"
            + "{\"name\":\"b\",\"weight\":1}],\"control\":\"a\",\"metrics\":[\"likes\"],"
            + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"}]}";
    private static final ExperimentAdmin.Actor PM = new ExperimentAdmin.Actor("user-1", "pm");

    private final Versions versions = new Versions();
    private final Log log = new Log();
    private final ExperimentAdmin admin = new ExperimentAdmin(versions, log, ExperimentConfig.parse(FIRST),
            Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC));

    private static JsonNode json(String text) throws Exception {
        return Json.readTree(text);
    }

    @Test
    void aChangeOfWeightsIsWrittenOnTheVersionSeenRecordedAndDeployed() throws Exception {
        versions.contents.add(FIRST);
        var written = admin.change("x", json("{\"variants\":[{\"name\":\"a\",\"weight\":3},{\"name\":\"b\",\"weight\":1}]}"),
                PM, OptionalInt.of(1), "more control");
        assertEquals(2, written.version());
        assertEquals(List.of(2), versions.deployed);
        assertEquals(3, ExperimentConfig.parse(versions.contents.get(1)).find("x").orElseThrow().variants().get(0).weight());
        var change = log.changes.get(0);
        assertEquals("user-1", change.by());
        assertEquals("pm", change.handle());
        assertEquals("more control", change.reason());
        assertEquals(List.of("variants"), List.copyOf(change.fields().keySet()));
        assertEquals(1, change.fields().get("variants").before().get(0).path("weight").asInt());
        assertEquals(3, change.fields().get("variants").after().get(0).path("weight").asInt());
    }

    @Test
    void aNewExperimentNeedsOnlyItsIdAndVariantsTheRestIsFilledInAndLogged() throws Exception {
        versions.contents.add(FIRST);
        var written = admin.create(json("{\"id\":\"y\",\"variants\":[{\"name\":\"old\",\"weight\":1},"
                + "{\"name\":\"new\",\"weight\":1}]}"), PM, OptionalInt.empty());
        Experiment y = written.experiment();
        assertEquals(Experiment.FEED, y.surface());
        assertEquals("old", y.control(), "the first variant is the control");
        assertEquals(Experiment.METRICS, y.metrics());
        assertEquals(Instant.parse("2026-01-10T00:00:00Z"), y.start(), "from now");
        assertEquals(Instant.parse("2026-02-09T00:00:00Z"), y.end(), "30 days on");
        assertEquals("old", log.changes.get(0).fields().get("control").after().asText(), "the log says what was filled in");

        // A field sent wrong is named, not replaced by a default; nothing is written.
        var wrong = assertThrows(SocialException.class, () -> admin.create(json("{\"id\":\"z\",\"control\":\"nobody\","
                + "\"start\":\"soon\",\"variants\":[{\"name\":\"a\",\"weight\":1},{\"name\":\"b\",\"weight\":1}]}"),
                PM, OptionalInt.empty()));
        assertTrue(wrong.getMessage().contains("control must name one of its variants"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("start must be an ISO-8601 instant"), wrong.getMessage());
        assertEquals(2, versions.contents.size());
    }

    @Test
    void aStaleVersionIsRefusedAndNothingChanges() throws Exception {
        versions.contents.add(FIRST);
        versions.contents.add(FIRST);
        assertThrows(ExperimentAdmin.VersionMismatch.class, () -> admin.change("x", json("{\"allocation\":50}"), PM,
                OptionalInt.of(1), null));
        assertEquals(2, versions.contents.size());
        assertTrue(log.changes.isEmpty());
    }

    @Test
    void aChangeThatMakesTheDocumentInvalidNamesWhatToFixAndChangesNothing() throws Exception {
        versions.contents.add(FIRST);
        var e = assertThrows(SocialException.class, () -> admin.change("x",
                json("{\"variants\":[{\"name\":\"c\",\"weight\":1},{\"name\":\"d\",\"weight\":1}]}"), PM, OptionalInt.of(1), null));
        assertEquals(SocialException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("control must name one of its variants"), e.getMessage());
        assertEquals(1, versions.contents.size());
        assertTrue(log.changes.isEmpty());
    }

    @Test
    void stoppingIsRecordedAndAChangeThatChangesNothingWritesNothing() throws Exception {
        versions.contents.add(FIRST);
        var stopped = admin.change("x", json("{\"status\":\"stopped\"}"), PM, OptionalInt.of(1), null);
        assertTrue(stopped.experiment().stopped());
        assertEquals("running", log.changes.get(0).fields().get("status").before().asText());
        assertEquals("stopped", log.changes.get(0).fields().get("status").after().asText());
        var again = admin.change("x", json("{\"status\":\"stopped\"}"), PM, OptionalInt.of(2), null);
        assertNull(again.change());
        assertEquals(2, versions.contents.size());
    }

    @Test
    void aNewExperimentIsAddedAndAnIdInUseIsAConflict() throws Exception {
        var created = admin.create(json(FIRST.substring(FIRST.indexOf("[{") + 1, FIRST.lastIndexOf("}]") + 1)
                .replace("\"id\":\"x\"", "\"id\":\"y\"")), PM, OptionalInt.empty());
        assertEquals(1, created.version());
        assertEquals(2, ExperimentConfig.parse(versions.contents.get(0)).experiments().size());
        assertEquals("created", log.changes.get(0).action());
        var e = assertThrows(SocialException.class, () -> admin.create(json("{\"id\":\"y\"}"), PM, OptionalInt.empty()));
        assertEquals(SocialException.Kind.CONFLICT, e.kind());
    }

    @Test
    void aWriteThatRacesAnotherIsAConflictAndRecordsNothing() throws Exception {
        versions.contents.add(FIRST);
        versions.racing = FIRST;
        var e = assertThrows(SocialException.class, () -> admin.change("x", json("{\"allocation\":50}"), PM,
                OptionalInt.of(1), null));
        assertEquals(SocialException.Kind.CONFLICT, e.kind());
        assertEquals("experiments_changed", e.code());
        assertEquals(2, versions.contents.size(), "only the other writer's version");
        assertTrue(versions.deployed.isEmpty());
        assertTrue(log.changes.isEmpty());
    }

    @Test
    void onlyVariantsAllocationAndStatusMayChange() throws Exception {
        versions.contents.add(FIRST);
        var e = assertThrows(SocialException.class, () -> admin.change("x", json("{\"end\":\"2027-01-01T00:00:00Z\"}"),
                PM, OptionalInt.of(1), null));
        assertEquals(SocialException.Kind.INVALID, e.kind());
    }

    @Test
    void guardrailsAreChangedRecordedAndABadOneIsRefusedWithItsName() throws Exception {
        versions.contents.add(FIRST);
        var written = admin.change("x", json("{\"guardrails\":[\"p95_latency\"]}"), PM, OptionalInt.of(1), "watch latency");
        assertEquals(List.of("p95_latency"), written.experiment().guardrails());
        var change = log.changes.get(0);
        assertEquals(List.of("guardrails"), List.copyOf(change.fields().keySet()));
        assertEquals("[]", change.fields().get("guardrails").before().toString());
        assertEquals("[\"p95_latency\"]", change.fields().get("guardrails").after().toString());
        var e = assertThrows(SocialException.class, () -> admin.change("x", json("{\"guardrails\":[\"p99\"]}"), PM,
                OptionalInt.of(2), null));
        assertEquals(SocialException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("unknown guardrail \"p99\""), e.getMessage());
        assertEquals(2, versions.contents.size());
        assertEquals(1, log.changes.size());
    }
}
