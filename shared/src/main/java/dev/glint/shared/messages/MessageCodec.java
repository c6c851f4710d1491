package dev.glint.shared.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.json.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Encodes and strictly decodes {@link QueueMessage}s. */
public final class MessageCodec {

    private static final Map<Class<? extends QueueMessage>, Versioned> KNOWN = Map.ofEntries(Map.entry(
            ExportJob.class, new Versioned(ExportJob.TYPE, ExportJob.VERSION, List.of("userId", "exportId"), List.of(),
                    f -> new ExportJob(ExportJob.TYPE, ExportJob.VERSION, f.get("userId"), f.get("exportId")))), Map.entry(
            MediaJob.class, new Versioned(MediaJob.TYPE, MediaJob.VERSION, List.of("postId", "uploadKey"), List.of(),
                    f -> new MediaJob(MediaJob.TYPE, MediaJob.VERSION, f.get("postId"), f.get("uploadKey")))), Map.entry(
            FanoutJob.class, new Versioned(FanoutJob.TYPE, FanoutJob.VERSION, List.of("postId", "authorId"), List.of("cursor"),
                    f -> new FanoutJob(FanoutJob.TYPE, FanoutJob.VERSION, f.get("postId"), f.get("authorId"), f.get("cursor")))), Map.entry(
            BackfillJob.class, new Versioned(BackfillJob.TYPE, BackfillJob.VERSION, List.of("followerId", "followeeId"), List.of(),
                    f -> new BackfillJob(BackfillJob.TYPE, BackfillJob.VERSION, f.get("followerId"), f.get("followeeId")))), Map.entry(
            PromoteJob.class, new Versioned(PromoteJob.TYPE, PromoteJob.VERSION, List.of("authorId"), List.of("claim", "cursor"),
                    f -> new PromoteJob(PromoteJob.TYPE, PromoteJob.VERSION, f.get("authorId"), f.get("claim"), f.get("cursor")))), Map.entry(
            DemoteJob.class, new Versioned(DemoteJob.TYPE, DemoteJob.VERSION, List.of("authorId", "claim"), List.of("cursor"),
                    f -> new DemoteJob(DemoteJob.TYPE, DemoteJob.VERSION, f.get("authorId"), f.get("claim"), f.get("cursor")))), Map.entry(
            PurgeJob.class, new Versioned(PurgeJob.TYPE, PurgeJob.VERSION, List.of("postId"), List.of("cursor"),
                    f -> new PurgeJob(PurgeJob.TYPE, PurgeJob.VERSION, f.get("postId"), f.get("cursor")))), Map.entry(
            DigestRun.class, new Versioned(DigestRun.TYPE, DigestRun.VERSION, List.of("frequency"), List.of("at", "shard", "cursor"),
                    f -> new DigestRun(DigestRun.TYPE, DigestRun.VERSION, f.get("frequency"), f.get("at"), f.get("shard"), f.get("cursor")))), Map.entry(
            EraseJob.class, new Versioned(EraseJob.TYPE, EraseJob.VERSION, List.of("userId", "step", "page"), List.of("cursor"),
                    f -> new EraseJob(EraseJob.TYPE, EraseJob.VERSION, f.get("userId"), f.get("step"), f.get("page"), f.get("cursor")))), Map.entry(
            ExperimentsCheck.class, new Versioned(ExperimentsCheck.TYPE, ExperimentsCheck.VERSION, List.of(), List.of("at"),
                    f -> new ExperimentsCheck(ExperimentsCheck.TYPE, ExperimentsCheck.VERSION, f.get("at")))), Map.entry(
            ApproveRequestsJob.class, new Versioned(ApproveRequestsJob.TYPE, ApproveRequestsJob.VERSION, List.of("ownerId"), List.of(),
                    f -> new ApproveRequestsJob(ApproveRequestsJob.TYPE, ApproveRequestsJob.VERSION, f.get("ownerId")))));

    private MessageCodec() {
    }

    public static String encode(QueueMessage message) {
        return Json.write(message);
    }

    /**
     * Decodes a body into the expected message type.
     *
     * @throws MessageFormatException if the body is not JSON, is another type or version, misses a
     *                                required field or carries an unknown one
     */
    /**
     * Decodes a body that may be any of the given types, chosen by its {@code "type"} field.
     *
     * @throws MessageFormatException as {@link #decode(String, Class)} does, or if the type is none of them
     */
    @SafeVarargs
    public static QueueMessage decodeAny(String body, Class<? extends QueueMessage>... types) {
        String type = null;
        try {
            JsonNode tree = Json.readTree(body == null ? "" : body);
            type = tree == null ? null : tree.path("type").asText(null);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException("body is not JSON: " + e.getOriginalMessage());
        }
        for (Class<? extends QueueMessage> candidate : types) {
            if (KNOWN.get(candidate).type().equals(type)) {
                return decode(body, candidate);
            }
        }
        throw new MessageFormatException("unexpected message type " + type);
    }

    public static <T extends QueueMessage> T decode(String body, Class<T> type) {
        Versioned expected = KNOWN.get(type);
        if (expected == null) {
            throw new IllegalArgumentException("not a known message class: " + type);
        }
        JsonNode tree;
        try {
            tree = Json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException("body is not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new MessageFormatException("body is not a JSON object");
        }
        String actualType = tree.path("type").asText(null);
        if (!expected.type().equals(actualType)) {
            throw new MessageFormatException("expected message type " + expected.type() + " but got " + actualType);
        }
        JsonNode version = tree.get("v");
        if (version == null || !version.isInt() || version.intValue() != expected.version()) {
            throw new MessageFormatException("unsupported " + expected.type() + " version " + version
                    + " (this consumer reads version " + expected.version() + ")");
        }
        List<String> missing = new ArrayList<>();
        for (String field : expected.required()) {
            JsonNode value = tree.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw new MessageFormatException(expected.type() + " lacks required field(s) " + missing);
        }
        Map<String, String> fields = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("type") || name.equals("v")) {
                continue;
            }
            if (!expected.fields().contains(name)) {
                throw new MessageFormatException("malformed " + expected.type() + ": unknown field " + name);
            }
            if (!value.isTextual() && !value.isNull()) {
                throw new MessageFormatException("malformed " + expected.type() + ": " + name + " is not a string");
            }
            fields.put(name, value.isNull() ? null : value.textValue());
        }
        return type.cast(expected.build().apply(fields));
    }

    /** A message type: its required and optional string fields, and how to build it from them. */
    private record Versioned(String type, int version, List<String> required, List<String> optional,
                             Function<Map<String, String>, QueueMessage> build) {
        Set<String> fields() {
            Set<String> all = new HashSet<>(required);
            all.addAll(optional);
            return all;
        }
    }
}
