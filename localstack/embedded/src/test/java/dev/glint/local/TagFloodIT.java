package dev.glint.local;

import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One abusive user (six accounts) floods the day's hashtags: 252 real photo posts with 30 unique
 * 50-character tags each, under the write limit. The day's counts once kept every distinct tag as an
 * attribute of one rollup item, which passed DynamoDB's 400 KB item limit and stopped every count of
 * the day; now the hashtags go to a bounded sketch, the rollup items stay small, and a like on
 * another post is still counted.
 */
class TagFloodIT {

    private static final int USERS = 6;
    private static final int POSTS_EACH = 42;
    private static final int TAGS_PER_POST = 30;

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(1_000, 1_000));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    @Test
    void aFloodOfInventedHashtagsLeavesEveryCountWorking() throws Exception {
        List<String> flooders = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            flooders.add(api.newUser("flood"));
        }
        byte[] photo = TestImages.jpeg(48, 32);
        ApiClient.forEachUser(flooders, USERS, user -> {
            for (int p = 0; p < POSTS_EACH; p++) {
                StringBuilder caption = new StringBuilder();
                for (int t = 0; t < TAGS_PER_POST; t++) {
                    caption.append('#').append((UUID.randomUUID().toString().replace("-", "") + "x".repeat(50)), 0, 50).append(' ');
                }
                api.post(user, api.upload(user, photo, "image/jpeg"), caption.toString());
            }
        });
        String author = api.newUser("victim");
        String fan = api.newUser("fan");
        String postId = api.readyPost(author, "an ordinary #sunset");
        ApiClient.await(() -> countedPosts() >= USERS * POSTS_EACH + 1);

        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null).status());

        ApiClient.await(() -> api.get(author, "/v1/posts/" + postId).json().path("likes").asLong() == 1);
        long largest = stack.clients().dynamoDb().query(r -> r.tableName(stack.config().table())
                        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ROLLUP#" + today()))))
                .items().stream().mapToLong(TagFloodIT::size).max().orElseThrow();
        System.out.println("tag flood: " + USERS * POSTS_EACH + " posts, " + USERS * POSTS_EACH * TAGS_PER_POST
                + " distinct tags; largest rollup item " + largest + " bytes; a like on another post counted");
        assertTrue(largest < 16_000, "the day's rollup items stay small: " + largest + " bytes");
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static long countedPosts() {
        api.tokenWithGroups("analyst", "product");
        var report = api.get("analyst", "/v1/reports/daily?from=" + today() + "&to=" + today());
        return report.json().path("days").path(0).path("posts").asLong();
    }

    /** An item's size as DynamoDB counts it: names plus values. */
    private static long size(Map<String, AttributeValue> item) {
        long size = 0;
        for (var entry : item.entrySet()) {
            size += entry.getKey().length() + value(entry.getValue());
        }
        return size;
    }

    private static long value(AttributeValue value) {
        if (value.s() != null) {
            return value.s().length();
        }
        if (value.n() != null) {
            return value.n().length();
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.hasM()) {
            return value.m().entrySet().stream().mapToLong(e -> e.getKey().length() + value(e.getValue())).sum() + 3;
        }
        return 8;
    }
}
