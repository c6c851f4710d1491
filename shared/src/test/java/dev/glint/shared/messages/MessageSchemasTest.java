package dev.glint.shared.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every message Glint puts on a queue has a JSON schema in events/schemas that matches the record. */
class MessageSchemasTest {

    private static final Map<String, QueueMessage> SAMPLES = Map.ofEntries(
            Map.entry("media-job", MediaJob.of("p", "k")),
            Map.entry("fanout-job", FanoutJob.firstPage("p", "a")),
            Map.entry("backfill-job", BackfillJob.of("f", "e")),
            Map.entry("promote-job", PromoteJob.firstPage("a", "c1")),
            Map.entry("demote-job", DemoteJob.firstPage("a", "c1")),
            Map.entry("purge-job", PurgeJob.of("p")),
            Map.entry("digest-run", DigestRun.of("daily", "2026-11-30T07:00:00Z").page(3, "c")),
            Map.entry("experiments-check", ExperimentsCheck.of("2026-11-30T07:00:00Z")),
            Map.entry("approve-requests-job", ApproveRequestsJob.of("o")),
            Map.entry("erase-job", EraseJob.firstPage("u", "sign-in")),
            Map.entry("export-job", ExportJob.of("u", "e")));

    @Test
    void eachMessageTypeHasAMatchingSchema() throws Exception {
        Path dir = Path.of(System.getProperty("glint.events.dir", "../events")).resolve("schemas");
        ObjectMapper json = new ObjectMapper();
        assertEquals(QueueMessage.class.getPermittedSubclasses().length, SAMPLES.size(), "a sample per message type");
        for (var entry : SAMPLES.entrySet()) {
            Path file = dir.resolve(entry.getKey() + ".schema.json");
            assertTrue(Files.isRegularFile(file), "missing " + file);
            JsonNode schema = json.readTree(file.toFile());
            QueueMessage message = entry.getValue();
            assertEquals(message.type(), schema.path("properties").path("type").path("const").asText(), file.toString());
            assertEquals(message.v(), schema.path("properties").path("v").path("const").asInt(), file.toString());
            JsonNode encoded = json.readTree(MessageCodec.encode(message));
            TreeSet<String> recordFields = new TreeSet<>();
            encoded.fieldNames().forEachRemaining(recordFields::add);
            TreeSet<String> schemaFields = new TreeSet<>();
            Iterator<String> names = schema.path("properties").fieldNames();
            names.forEachRemaining(schemaFields::add);
            assertEquals(schemaFields, recordFields, file + " describes every field of " + message.getClass().getSimpleName());
            for (JsonNode required : schema.path("required")) {
                assertTrue(recordFields.contains(required.asText()), required.asText());
            }
        }
    }
}
