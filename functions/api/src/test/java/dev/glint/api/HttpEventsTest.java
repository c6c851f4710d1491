package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The api's entry point reads HTTP API events as Lambda's serializer does, and writes what it writes. */
class HttpEventsTest {

    @Test
    void readsEverySampleAsTheRuntimeDoes() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(SampleEvents.dir().resolve("api"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            APIGatewayV2HTTPEvent expected = runtime(APIGatewayV2HTTPEvent.class).fromJson(Files.newInputStream(file));
            try (InputStream in = Files.newInputStream(file)) {
                assertEquals(expected, HttpEvents.read(in), file.toString());
            }
        }
    }

    @Test
    void readsEveryPartOfTheEvent() throws Exception {
        String json = "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/v1/me\",\"rawQueryString\":\"a=1&a=2\","
                + "\"cookies\":[\"c=1\"],\"headers\":{\"x\":\"y\"},\"queryStringParameters\":{\"a\":\"1,2\"},"
                + "\"pathParameters\":{\"id\":\"7\"},\"stageVariables\":{\"s\":\"v\"},\"body\":\"eyJ9\",\"isBase64Encoded\":true,"
                + "\"requestContext\":{\"accountId\":\"1\",\"apiId\":\"api\",\"domainName\":\"d\",\"domainPrefix\":\"p\","
                + "\"http\":{\"method\":\"POST\",\"path\":\"/v1/me\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"1.2.3.4\",\"userAgent\":\"ua\"},"
                + "\"requestId\":\"r\",\"routeKey\":\"$default\",\"stage\":\"$default\",\"time\":\"t\",\"timeEpoch\":1700000000000,"
                + "\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"u\",\"cognito:groups\":\"[product]\",\"auth_time\":1700000000},"
                + "\"scopes\":[\"openid\"]},\"lambda\":{\"k\":\"v\",\"n\":3,\"nested\":{\"b\":true}},"
                + "\"iam\":{\"accessKey\":\"a\",\"accountId\":\"1\",\"callerId\":\"c\",\"principalOrgId\":\"o\",\"userArn\":\"arn\","
                + "\"userId\":\"u\",\"cognitoIdentity\":{\"amr\":[\"x\"],\"identityId\":\"i\",\"identityPoolId\":\"p\"}}}}}";
        assertEquals(runtime(APIGatewayV2HTTPEvent.class).fromJson(json),
                HttpEvents.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void writesTheResponseAsTheRuntimeDoes() throws Exception {
        APIGatewayV2HTTPResponse response = APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                .withHeaders(Map.of("content-type", "application/json", "etag", "\"v1\""))
                .withCookies(List.of("a=b"))
                .withBody("{\"ok\":\"\u00e9\\n\"}").withIsBase64Encoded(false).build();
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        HttpEvents.write(response, ours);
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        runtime(APIGatewayV2HTTPResponse.class).toJson(response, theirs);
        assertEquals(withoutNulls(Json.readTree(theirs.toByteArray())), Json.readTree(ours.toByteArray()));
    }

    /** The runtime writes absent fields as null; API Gateway reads absent and null alike. */
    private static JsonNode withoutNulls(JsonNode node) {
        ObjectNode copy = (ObjectNode) node.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = copy.fields(); fields.hasNext(); ) {
            if (fields.next().getValue().isNull()) {
                fields.remove();
            }
        }
        return copy;
    }

    private static <T> PojoSerializer<T> runtime(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, HttpEventsTest.class.getClassLoader());
    }
}
