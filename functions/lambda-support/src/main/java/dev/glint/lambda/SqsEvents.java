package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.glint.lambda.EventJson.bytes;
import static dev.glint.lambda.EventJson.stringList;
import static dev.glint.lambda.EventJson.strings;
import static dev.glint.lambda.EventJson.text;

/** Reads an SQS event and writes a batch response, as the queue workers' stream entry points need. */
public final class SqsEvents {

    private SqsEvents() {
    }

    public static SQSEvent read(InputStream in) throws IOException {
        JsonNode event = EventJson.read(in);
        SQSEvent out = new SQSEvent();
        if (event.path("Records").isArray()) {
            List<SQSEvent.SQSMessage> messages = new ArrayList<>();
            for (JsonNode record : EventJson.records(event)) {
                messages.add(message(record));
            }
            out.setRecords(messages);
        }
        return out;
    }

    private static SQSEvent.SQSMessage message(JsonNode record) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(text(record, "messageId"));
        message.setReceiptHandle(text(record, "receiptHandle"));
        message.setBody(text(record, "body"));
        message.setMd5OfBody(text(record, "md5OfBody"));
        message.setMd5OfMessageAttributes(text(record, "md5OfMessageAttributes"));
        message.setEventSourceArn(text(record, "eventSourceARN"));
        message.setEventSource(text(record, "eventSource"));
        message.setAwsRegion(text(record, "awsRegion"));
        message.setAttributes(strings(record, "attributes"));
        JsonNode attributes = record.get("messageAttributes");
        if (attributes != null && attributes.isObject()) {
            Map<String, SQSEvent.MessageAttribute> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
                attribute.setStringValue(text(value, "stringValue"));
                attribute.setBinaryValue(bytes(value, "binaryValue"));
                attribute.setStringListValues(stringList(value, "stringListValues"));
                attribute.setBinaryListValues(EventJson.byteList(value, "binaryListValues"));
                attribute.setDataType(text(value, "dataType"));
                out.put(field.getKey(), attribute);
            }
            message.setMessageAttributes(out);
        }
        return message;
    }

    public static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        EventJson.writeBatchFailures(response == null || response.getBatchItemFailures() == null ? List.of()
                : response.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).toList(), out);
    }
}
