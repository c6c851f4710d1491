package dev.glint.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.resources.GlintResources;
import dev.glint.streamprocessor.StreamProcessorComposition;
import dev.glint.streamprocessor.StreamProcessorHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the stream processor derives, end to end: notifications and the hashtag index. */
class FirehoseIT {

    private static final RequestCounter REQUESTS = new RequestCounter();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1).withFunctionInterceptor(GlintResources.API_FUNCTION.name(), REQUESTS));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static String user(String prefix) {
        return api.newUser(prefix);
    }

    private static String readyPost(String author, String caption) throws Exception {
        return api.readyPost(author, caption);
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        ApiClient.await(condition);
    }

    private static List<String> kinds(String user) {
        List<String> kinds = new ArrayList<>();
        api.get(user, "/v1/notifications").json().path("items").forEach(n -> kinds.add(n.path("kind").asText()
                + ":" + n.path("actor").path("handle").asText()));
        return kinds;
    }

    @Test
    void likesCommentsAndFollowsNotifyTheOwnerOnceAndNeverForOwnActions() throws Exception {
        String owner = user("own");
        String fan = user("fan");
        String postId = readyPost(owner, "a photo");

        api.send("PUT", "/v1/posts/" + postId + "/like", owner, null, null);
        api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null);
        api.delete(fan, "/v1/posts/" + postId + "/like");
        api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null);
        api.json("POST", fan, "/v1/posts/" + postId + "/comments", Map.of("text", "lovely"));
        api.json("POST", owner, "/v1/posts/" + postId + "/comments", Map.of("text", "thanks"));
        api.send("POST", "/v1/users/" + owner + "/follow", fan, null, null);

        await(() -> kinds(owner).size() == 3);
        Thread.sleep(1500);
        assertEquals(List.of("follow:" + fan, "comment:" + fan, "like:" + fan), kinds(owner), "newest first, once each");
        assertEquals(List.of(), kinds(fan), "nothing for the actor");

        JsonNode items = api.get(owner, "/v1/notifications").json().path("items");
        assertFalse(items.get(0).path("read").asBoolean());
        assertEquals(postId, items.get(2).path("postId").asText());
        assertEquals(204, api.json("POST", owner, "/v1/notifications/read", Map.of("upTo", items.get(1).path("id").asText())).status());
        JsonNode after = api.get(owner, "/v1/notifications").json().path("items");
        assertEquals(List.of(false, true, true), List.of(after.get(0).path("read").asBoolean(),
                after.get(1).path("read").asBoolean(), after.get(2).path("read").asBoolean()));
        assertEquals("invalid_up_to", api.json("POST", owner, "/v1/notifications/read", Map.of("upTo", "yesterday")).errorCode());

        String cursor = api.get(owner, "/v1/notifications?limit=1").json().path("next").asText();
        assertEquals(204, api.json("POST", owner, "/v1/notifications/read", Map.of("upTo", cursor)).status());
        JsonNode all = api.get(owner, "/v1/notifications").json().path("items");
        assertTrue(all.get(0).path("read").asBoolean(), "a cursor marks its page and everything older read");
        assertEquals("invalid_cursor", api.json("POST", fan, "/v1/notifications/read", Map.of("upTo", cursor)).errorCode(),
                "another user's cursor is refused");
    }

    @Test
    void aReplayedStreamRecordNotifiesOnce() throws Exception {
        String owner = user("replay");
        String postId = readyPost(owner, "replayed");
        String actor = "synthetic-actor-" + UUID.randomUUID().toString().substring(0, 8);
        var like = new DynamodbEvent.DynamodbStreamRecord();
        like.setEventID("replayed-event-1");
        like.setEventName("INSERT");
        var body = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
        body.setSequenceNumber("900000000000000000001");
        body.setKeys(StreamPoller.convert(Map.of("pk", AttributeValue.fromS(Keys.like(postId, actor).pk()),
                "sk", AttributeValue.fromS(Keys.like(postId, actor).sk()))));
        body.setNewImage(StreamPoller.convert(Map.of("entity", AttributeValue.fromS("like"),
                "postId", AttributeValue.fromS(postId), "userId", AttributeValue.fromS(actor))));
        like.setDynamodb(body);
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(List.of(like));
        StreamProcessorHandler handler = new StreamProcessorHandler(StreamProcessorComposition.of(stack.clients()));

        handler.handleRequest(batch, LocalContext.forInvocation("stream-processor", 10_000));
        handler.handleRequest(batch, LocalContext.forInvocation("stream-processor", 10_000));

        JsonNode items = api.get(owner, "/v1/notifications").json().path("items");
        assertEquals(1, items.size(), items.toString());
        assertEquals(actor, items.get(0).path("actor").path("id").asText());
        var counted = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(Keys.countedEvent("replayed-event-1").pk()),
                        "sk", AttributeValue.fromS(Keys.countedEvent("replayed-event-1").sk()))));
        assertTrue(counted.hasItem(), "the replayed like was counted into the rollups, once");
    }

    private static JsonNode today(String productUser) {
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Reply report = api.get(productUser, "/v1/reports/daily?from=" + day + "&to=" + day);
        assertEquals(200, report.status(), report.body());
        return report.json().path("days").get(0);
    }

    @Test
    void theDailyReportCountsActivityOnceFromRollupsAtAConstantCost() throws Exception {
        String analyst = "analyst" + UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithGroups(analyst, "product");
        Thread.sleep(1500);
        JsonNode before = today(analyst);
        REQUESTS.reset();
        today(analyst);
        long smallCost = REQUESTS.total("DynamoDb");

        String author = user("rep");
        String fan = user("rep");
        String tag = "r" + UUID.randomUUID().toString().substring(0, 8);
        String postId = readyPost(author, "report me #" + tag);
        api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null);
        api.json("POST", fan, "/v1/posts/" + postId + "/comments", Map.of("text", "counted"));
        await(() -> today(analyst).path("comments").asLong() >= before.path("comments").asLong() + 1);
        Thread.sleep(1500);
        JsonNode after = today(analyst);

        assertEquals(before.path("newUsers").asLong() + 2, after.path("newUsers").asLong());
        assertEquals(before.path("posts").asLong() + 1, after.path("posts").asLong());
        assertEquals(before.path("likes").asLong() + 1, after.path("likes").asLong());
        assertEquals(before.path("comments").asLong() + 1, after.path("comments").asLong());
        assertEquals(1, after.path("topHashtags").path(tag).asLong(0), after.toString());
        assertTrue(after.path("activeUsers").asLong() >= before.path("activeUsers").asLong() + 2, after.toString());

        REQUESTS.reset();
        today(analyst);
        long largerCost = REQUESTS.total("DynamoDb");
        System.out.println("DynamoDB requests for a daily report: " + smallCost + " before, " + largerCost + " after more data");
        assertEquals(1, smallCost, "one batch read of the rollups");
        assertEquals(smallCost, largerCost, "the cost does not grow with the data");

        assertEquals(403, api.get(author, "/v1/reports/daily?from=2026-11-01&to=2026-11-02").status());
        assertEquals("invalid_range", api.get(analyst, "/v1/reports/daily?from=2026-11-02&to=2026-11-01").errorCode());
        assertEquals("invalid_range", api.get(analyst, "/v1/reports/daily?from=2026-01-01&to=2026-11-01").errorCode());
        assertEquals("invalid_from", api.get(analyst, "/v1/reports/daily?from=yesterday&to=2026-11-01").errorCode());
    }

    @Test
    void hashtagsFindReadyPostsNewestFirstAndNotDeletedOnes() throws Exception {
        String author = user("tagger");
        String tag = "t" + UUID.randomUUID().toString().substring(0, 8);
        String first = readyPost(author, "first #" + tag + " #Porto");
        String second = readyPost(author, "second #" + tag.toUpperCase());
        readyPost(author, "no tag here, only " + tag);

        await(() -> api.get(author, "/v1/tags/" + tag + "/posts").json().path("items").size() == 2);
        JsonNode items = api.get(author, "/v1/tags/" + tag.toUpperCase() + "/posts").json().path("items");
        assertEquals(List.of(second, first), List.of(items.get(0).path("id").asText(), items.get(1).path("id").asText()));

        Reply paged = api.get(author, "/v1/tags/" + tag + "/posts?limit=1");
        assertEquals(second, paged.json().path("items").get(0).path("id").asText());
        Reply rest = api.get(author, "/v1/tags/" + tag + "/posts?limit=1&cursor=" + paged.json().path("next").asText());
        assertEquals(first, rest.json().path("items").get(0).path("id").asText());

        assertEquals(204, api.delete(author, "/v1/posts/" + second).status());
        await(() -> api.get(author, "/v1/tags/" + tag + "/posts").json().path("items").size() == 1);
        assertTrue(api.get(author, "/v1/tags/porto/posts").json().path("items").size() >= 1);
        assertEquals("invalid_tag", api.get(author, "/v1/tags/not-a-tag/posts").errorCode());
        assertEquals(0, api.get(author, "/v1/tags/never_used_tag_zz/posts").json().path("items").size());
    }
}
