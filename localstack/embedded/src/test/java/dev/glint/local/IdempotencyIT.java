package dev.glint.local;

import dev.glint.shared.media.TestImages;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Safe retries on the local stack, through the gateway and DynamoDB Local's conditions: a comment
 * posted again with the same Idempotency-Key is one comment and the same answer; the key with another
 * body is 422 and writes nothing; eight retries at once write one comment, each of them answered with
 * it or told to wait; the key is the user's alone.
 */
class IdempotencyIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static ApiClient.Reply comment(String user, String postId, String text, String key) {
        return api.sendBytes("POST", "/v1/posts/" + postId + "/comments", user,
                ("{\"text\":\"" + text + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json",
                key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static int comments(String user, String postId) {
        return api.get(user, "/v1/posts/" + postId + "/comments").json().path("items").size();
    }

    @Test
    void aRetriedCommentIsOneCommentAndTheSameAnswer() throws Exception {
        String author = api.newUser("i");
        String reader = api.newUser("i");
        String postId = api.post(author, api.upload(author, TestImages.jpeg(320, 240), "image/jpeg"), "");
        api.settled(author, postId, java.time.Duration.ofSeconds(40));
        String key = UUID.randomUUID().toString();

        ApiClient.Reply first = comment(reader, postId, "first!", key);
        assertEquals(201, first.status(), first.body());
        ApiClient.Reply retry = comment(reader, postId, "first!", key);
        assertEquals(201, retry.status(), retry.body());
        assertEquals(first.json(), retry.json(), "the retry gets the first answer");
        assertEquals("true", retry.raw().headers().firstValue("idempotent-replayed").orElse(null));
        assertTrue(first.raw().headers().firstValue("idempotent-replayed").isEmpty());
        assertEquals(1, comments(reader, postId));

        ApiClient.Reply other = comment(reader, postId, "something else", key);
        assertEquals(422, other.status(), other.body());
        assertEquals("idempotency_key_reused", other.errorCode());
        assertEquals(1, comments(reader, postId));

        // The key is the reader's: the author's same key is a request of its own.
        assertEquals(201, comment(author, postId, "first!", key).status());
        assertEquals(2, comments(reader, postId));

        // Without a key, two sends are two comments (as before).
        comment(reader, postId, "again", null);
        comment(reader, postId, "again", null);
        assertEquals(4, comments(reader, postId));

        ApiClient.Reply bad = comment(reader, postId, "x", "has a space");
        assertEquals(400, bad.status());
        assertEquals("invalid_idempotency_key", bad.errorCode());
        assertEquals(4, comments(reader, postId));
    }

    @Test
    void eightRetriesAtOnceWriteOneComment() throws Exception {
        String author = api.newUser("i");
        String postId = api.post(author, api.upload(author, TestImages.jpeg(320, 240), "image/jpeg"), "");
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ApiClient.Reply>> sends = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sends.add(() -> comment(author, postId, "at once", key));
            }
            List<Integer> statuses = new ArrayList<>();
            String commentId = null;
            for (Future<ApiClient.Reply> f : pool.invokeAll(sends)) {
                ApiClient.Reply reply = f.get();
                statuses.add(reply.status());
                if (reply.status() == 201) {
                    String id = reply.json().path("id").asText();
                    assertTrue(commentId == null || commentId.equals(id), "two comments answered: " + commentId + ", " + id);
                    commentId = id;
                } else {
                    assertEquals(409, reply.status(), reply.body());
                    assertEquals("idempotency_key_in_use", reply.errorCode());
                    assertEquals("1", reply.raw().headers().firstValue("retry-after").orElse(null));
                }
            }
            assertTrue(statuses.contains(201), statuses.toString());
            assertEquals(1, comments(author, postId), "statuses " + statuses);
            // After the first finished, every retry gets its answer.
            ApiClient.Reply later = comment(author, postId, "at once", key);
            assertEquals(201, later.status());
            assertEquals(commentId, later.json().path("id").asText());
        } finally {
            pool.shutdownNow();
        }
        // One item per user and key, under the user's partition, expiring a day on.
        var items = stack.clients().dynamoDb().query(r -> r.tableName(stack.config().table())
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("IDEMPOTENCY#" + sub(author))))).items();
        assertEquals(1, items.size());
        long ttl = Long.parseLong(items.get(0).get("ttl").n());
        long inADay = java.time.Instant.now().plus(java.time.Duration.ofHours(24)).getEpochSecond();
        assertTrue(Math.abs(ttl - inADay) < 120, "ttl " + ttl + " vs " + inADay);
        assertEquals(GlintResources.TABLE.ttlAttribute(), "ttl");
    }

    private static String sub(String user) {
        String token = api.token(user);
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        try {
            return ApiClient.JSON.readTree(payload).path("sub").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
