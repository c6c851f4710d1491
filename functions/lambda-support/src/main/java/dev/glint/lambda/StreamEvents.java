package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.glint.lambda.EventJson.stringList;
import static dev.glint.lambda.EventJson.text;

/** Reads a DynamoDB stream event and writes a batch response, as the stream processor's entry point needs. */
public final class StreamEvents {

    private StreamEvents() {
    }

    public static DynamodbEvent read(InputStream in) throws IOException {
        JsonNode event = EventJson.read(in);
        DynamodbEvent out = new DynamodbEvent();
        if (event.path("Records").isArray()) {
            List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
            for (JsonNode record : EventJson.records(event)) {
                records.add(record(record));
            }
            out.setRecords(records);
        }
        return out;
    }

    private static DynamodbEvent.DynamodbStreamRecord record(JsonNode node) {
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID(text(node, "eventID"));
        record.setEventName(text(node, "eventName"));
        record.setEventVersion(text(node, "eventVersion"));
        record.setEventSource(text(node, "eventSource"));
        record.setAwsRegion(text(node, "awsRegion"));
        record.setEventSourceARN(text(node, "eventSourceARN"));
        JsonNode identity = node.get("userIdentity");
        if (identity != null && identity.isObject()) {
            Identity who = new Identity();
            who.setPrincipalId(text(identity, "principalId"));
            who.setType(text(identity, "type"));
            record.setUserIdentity(who);
        }
        JsonNode body = node.get("dynamodb");
        if (body != null && body.isObject()) {
            StreamRecord change = new StreamRecord();
            JsonNode created = body.get("ApproximateCreationDateTime");
            if (created != null && created.isNumber()) {
                change.setApproximateCreationDateTime(new Date(created.decimalValue().movePointRight(3).longValue()));
            }
            change.setKeys(image(body.get("Keys")));
            change.setNewImage(image(body.get("NewImage")));
            change.setOldImage(image(body.get("OldImage")));
            change.setSequenceNumber(text(body, "SequenceNumber"));
            JsonNode size = body.get("SizeBytes");
            change.setSizeBytes(size == null || size.isNull() ? null : size.asLong());
            String view = text(body, "StreamViewType");
            if (view != null) {
                change.setStreamViewType(StreamViewType.fromValue(view));
            }
            record.setDynamodb(change);
        }
        return record;
    }

    private static Map<String, AttributeValue> image(JsonNode node) {
        if (node == null || node.isNull() || !node.isObject()) {
            return null;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.put(field.getKey(), value(field.getValue()));
        }
        return out;
    }

    private static AttributeValue value(JsonNode node) {
        AttributeValue value = new AttributeValue();
        if (node == null || !node.isObject()) {
            return value;
        }
        value.setS(text(node, "S"));
        value.setN(text(node, "N"));
        if (node.hasNonNull("B")) {
            value.setB(EventJson.bytes(node, "B"));
        }
        List<String> ss = stringList(node, "SS");
        if (ss != null) {
            value.setSS(ss);
        }
        List<String> ns = stringList(node, "NS");
        if (ns != null) {
            value.setNS(ns);
        }
        List<ByteBuffer> bs = EventJson.byteList(node, "BS");
        if (bs != null) {
            value.setBS(bs);
        }
        if (node.hasNonNull("M")) {
            value.setM(image(node.get("M")));
        }
        if (node.hasNonNull("L") && node.get("L").isArray()) {
            List<AttributeValue> items = new ArrayList<>();
            node.get("L").forEach(item -> items.add(value(item)));
            value.setL(items);
        }
        if (node.hasNonNull("NULL")) {
            value.setNULL(node.get("NULL").asBoolean());
        }
        if (node.hasNonNull("BOOL")) {
            value.setBOOL(node.get("BOOL").asBoolean());
        }
        return value;
    }

    public static void write(StreamsEventResponse response, OutputStream out) throws IOException {
        EventJson.writeBatchFailures(response == null || response.getBatchItemFailures() == null ? List.of()
                : response.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).toList(), out);
    }
}
