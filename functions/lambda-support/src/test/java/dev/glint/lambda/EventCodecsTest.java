package dev.glint.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The stream entry points read every sample event as Lambda's own serializer does, and write what it writes. */
class EventCodecsTest {

    @Test
    void readsEverySqsSampleAsTheRuntimeDoes() throws Exception {
        List<Path> files = samples("sqs");
        assertFalse(files.isEmpty());
        for (Path file : files) {
            SQSEvent expected = runtime(SQSEvent.class).fromJson(Files.newInputStream(file));
            try (InputStream in = Files.newInputStream(file)) {
                assertEquals(expected, SqsEvents.read(in), file.toString());
            }
        }
    }

    @Test
    void readsEveryStreamSampleAsTheRuntimeDoes() throws Exception {
        List<Path> files = samples("dynamodb");
        assertFalse(files.isEmpty());
        for (Path file : files) {
            DynamodbEvent expected = runtime(DynamodbEvent.class).fromJson(Files.newInputStream(file));
            try (InputStream in = Files.newInputStream(file)) {
                DynamodbEvent actual = StreamEvents.read(in);
                assertEquals(expected, actual, file.toString());
            }
        }
    }

    @Test
    void readsEveryAttributeTypeAndMessageAttribute() throws Exception {
        String stream = "{\"Records\":[{\"eventID\":\"e\",\"eventName\":\"MODIFY\",\"dynamodb\":{\"ApproximateCreationDateTime\":1700000000.5,"
                + "\"Keys\":{\"pk\":{\"S\":\"P\"}},\"NewImage\":{\"s\":{\"S\":\"x\"},\"n\":{\"N\":\"1.5\"},\"b\":{\"B\":\"AAE=\"},"
                + "\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\"]},\"bs\":{\"BS\":[\"AAE=\"]},\"m\":{\"M\":{\"k\":{\"BOOL\":true}}},"
                + "\"l\":{\"L\":[{\"NULL\":true},{\"S\":\"y\"}]}},\"SequenceNumber\":\"42\",\"SizeBytes\":9,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
                + "\"userIdentity\":{\"principalId\":\"dynamodb.amazonaws.com\",\"type\":\"Service\"}}]}";
        assertEquals(runtime(DynamodbEvent.class).fromJson(stream), StreamEvents.read(bytes(stream)));
        String sqs = "{\"Records\":[{\"messageId\":\"m\",\"body\":\"{}\",\"attributes\":{\"ApproximateReceiveCount\":\"3\"},"
                + "\"messageAttributes\":{\"a\":{\"stringValue\":\"v\",\"binaryValue\":\"AAE=\",\"stringListValues\":[],"
                + "\"binaryListValues\":[],\"dataType\":\"String\"}},\"eventSourceARN\":\"arn:aws:sqs:eu-west-1:1:q\"}]}";
        assertEquals(runtime(SQSEvent.class).fromJson(sqs), SqsEvents.read(bytes(sqs)));
        assertNull(SqsEvents.read(bytes("{}")).getRecords());
    }

    @Test
    void writesBatchResponsesAsTheRuntimeDoes() throws Exception {
        SQSBatchResponse sqs = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m-2")));
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        SqsEvents.write(sqs, ours);
        assertEquals(Json.readTree(runtimeJson(SQSBatchResponse.class, sqs)), Json.readTree(ours.toByteArray()));

        StreamsEventResponse stream = StreamsEventResponse.builder().withBatchItemFailures(
                List.of(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier("42").build())).build();
        ByteArrayOutputStream streamOut = new ByteArrayOutputStream();
        StreamEvents.write(stream, streamOut);
        assertEquals(Json.readTree(runtimeJson(StreamsEventResponse.class, stream)), Json.readTree(streamOut.toByteArray()));

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        SqsEvents.write(new SQSBatchResponse(new ArrayList<>()), empty);
        assertEquals("{\"batchItemFailures\":[]}", empty.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAnEventThatIsNotJson() {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> SqsEvents.read(bytes("{\"Records\":")));
        assertNotNull(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> StreamEvents.read(bytes("not json"))));
    }

    private static InputStream bytes(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    static List<Path> samples(String folder) throws Exception {
        try (Stream<Path> files = Files.list(SampleEvents.dir().resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    static <T> PojoSerializer<T> runtime(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, EventCodecsTest.class.getClassLoader());
    }

    static <T> byte[] runtimeJson(Class<T> type, T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        runtime(type).toJson(value, out);
        return out.toByteArray();
    }
}
