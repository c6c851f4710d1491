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

    private static final Map<String, QueueMessage> SAMPLES = Map.of(
            "media-job", MediaJob.of("p", "k"),
            "fanout-job", FanoutJob.firstPage("p", "a"),
            "backfill-job", BackfillJob.of("f", "e"),
            "promote-job", PromoteJob.firstPage("a", "c1"),
            "demote-job", DemoteJob.firstPage("a", "c1"),
            "purge-job", PurgeJob.of("p"),
            "digest-run", DigestRun.of("daily", "2026-11-30T07:00:00Z").page(3, "c"),
            "experiments-check", ExperimentsCheck.of("2026-11-30T07:00:00Z"),
            "approve-requests-job", ApproveRequestsJob.of("o"),
            "erase-job", EraseJob.firstPage("u", "sign-in"));

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
