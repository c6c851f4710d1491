package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fan-out through the queue and worker, follow back-fill, and the hybrid feed with a celebrity pulled at read time. */
class FeedIT {

    private static final int CELEBRITY_THRESHOLD = 3;
    private static final RequestCounter REQUESTS = new RequestCounter();
    /** What the api function alone asks for: the pollers keep working beside a measured read. */
    private static final RequestCounter API_REQUESTS = new RequestCounter();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withCelebrityThreshold(CELEBRITY_THRESHOLD).withInterceptor(REQUESTS)
            .withFunctionInterceptor(GlintResources.API_FUNCTION.name(), API_REQUESTS));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static String user(String prefix) {
        return api.newUser(prefix);
    }

    private static void follow(String follower, String followee) {
        assertEquals(200, api.send("POST", "/v1/users/" + followee + "/follow", follower, null, null).status());
    }

    private static String readyPost(String author) throws Exception {
        return api.readyPost(author, "");
    }

    private static List<String> feed(String reader) {
        List<String> ids = new ArrayList<>();
        api.get(reader, "/v1/feed").json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        ApiClient.await(condition);
    }

    private static long feedEntriesOf(String postId) {
        long[] count = {0};
        stack.clients().dynamoDb().scanPaginator(r -> r.tableName(stack.config().table())).items().forEach(item -> {
            if (item.get("pk").s().startsWith("FEED#") && postId.equals(item.get("sk").s())) {
                count[0]++;
            }
        });
        return count[0];
    }

    @Test
    void aFollowerOfThreeUsersSeesTheirPostsNewestFirstAndNotAfterUnfollowOrDelete() throws Exception {
        String reader = user("r");
        List<String> authors = List.of(user("a"), user("b"), user("c"));
        authors.forEach(author -> follow(reader, author));
        List<String> posts = new ArrayList<>();
        for (String author : authors) {
            posts.add(readyPost(author));
        }
        List<String> newestFirst = List.of(posts.get(2), posts.get(1), posts.get(0));
        await(() -> feed(reader).equals(newestFirst));

        assertEquals(204, api.delete(authors.get(2), "/v1/posts/" + posts.get(2)).status());
        assertEquals(List.of(posts.get(1), posts.get(0)), feed(reader), "a deleted post is never shown");

        assertEquals(200, api.delete(reader, "/v1/users/" + authors.get(1) + "/follow").status());
        assertEquals(List.of(posts.get(0)), feed(reader), "unfollowing stops showing their posts at once");

        JsonNode authorsOwnFeed = api.get(authors.get(0), "/v1/feed").json().path("items");
        assertEquals(posts.get(0), authorsOwnFeed.get(0).path("id").asText(), "authors see their own posts at home");
    }

    @Test
    void followingSomeoneBackFillsTheirRecentPosts() throws Exception {
        String author = user("old");
        String first = readyPost(author);
        String second = readyPost(author);
        String newcomer = user("new");

        follow(newcomer, author);

        await(() -> feed(newcomer).equals(List.of(second, first)));
    }

    @Test
    void aCelebrityWhoFallsBelowTheLineIsPushedAgainAndNoFollowerMissesAPost() throws Exception {
        String star = user("fading");
        String stays = user("fan");
        String alsoStays = user("fan");
        String leaves = user("fan");
        for (String fan : List.of(stays, alsoStays, leaves)) {
            follow(fan, star);
        }
        String starId = api.get(star, "/v1/users/" + star).json().path("id").asText();
        await(() -> api.get(star, "/v1/users/" + star).json().path("followers").asLong() == CELEBRITY_THRESHOLD);
        String asCelebrity = readyPost(star);
        await(() -> item("PROMOTION#" + starId, "DONE") != null);
        await(() -> feed(stays).contains(asCelebrity));
        assertEquals(1, feedEntriesOf(asCelebrity), "pulled: only the star's own feed has it");

        // 3 -> 2 followers: below 80 % of the threshold. The next post is pushed, and the followers who
        // pulled the star get their posts pushed and stop pulling.
        assertEquals(200, api.delete(leaves, "/v1/users/" + star + "/follow").status());
        await(() -> api.get(star, "/v1/users/" + star).json().path("followers").asLong() == 2);
        String pushed = readyPost(star);
        await(() -> item("PROMOTION#" + starId, "DONE") == null);
        await(() -> feedEntriesOf(pushed) == 3 && feedEntriesOf(asCelebrity) == 3);
        for (String fan : List.of(stays, alsoStays)) {
            await(() -> feed(fan).equals(List.of(pushed, asCelebrity)));
            var celebrities = item("FEED#" + api.get(fan, "/v1/me").json().path("id").asText(), "~CELEBRITIES");
            assertTrue(celebrities == null || !celebrities.containsKey("c:" + starId), fan + " still pulls the star: " + celebrities);
        }
        assertTrue(!feed(leaves).contains(pushed), "the one who left gets nothing");
    }

    private static java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(String pk, String sk) {
        var item = stack.clients().dynamoDb().getItem(r -> r.tableName(stack.config().table()).consistentRead(true)
                .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(pk),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Test
    void aCelebritysPostIsPulledAtReadTimeWithoutAnyFanOutWrites() throws Exception {
        String star = user("star");
        String reader = user("fan");
        follow(reader, star);
        follow(user("fan"), star);
        follow(user("fan"), star);
        String friend = user("friend");
        follow(reader, friend);
        String friendsPost = readyPost(friend);
        String starsPost = readyPost(star);
        Thread.sleep(2000);

        assertEquals(1, feedEntriesOf(starsPost), "only the celebrity's own feed got an entry");
        await(() -> feed(reader).equals(List.of(starsPost, friendsPost)));

        // What one page costs: a normal reader's, and one who follows a celebrity.
        Thread.sleep(1500);
        String plainReader = user("plain");
        follow(plainReader, friend);
        await(() -> feed(plainReader).equals(List.of(friendsPost)));
        API_REQUESTS.reset();
        feed(plainReader);
        Map<String, Long> plainPage = ApiClient.dynamoDbOnly(API_REQUESTS.snapshot());
        API_REQUESTS.reset();
        feed(reader);
        Map<String, Long> celebrityPage = ApiClient.dynamoDbOnly(API_REQUESTS.snapshot());
        System.out.println("DynamoDB requests per feed page: reader following no celebrity " + plainPage
                + "; reader following one celebrity " + celebrityPage);
        assertEquals(2, plainPage.values().stream().mapToLong(Long::longValue).sum(), "a feed page costs 2 requests: " + plainPage);
        assertEquals(3, celebrityPage.values().stream().mapToLong(Long::longValue).sum(),
                "plus one query per followed celebrity: " + celebrityPage);

        // What one more post of the celebrity costs, from upload to fan-out: no write per follower.
        REQUESTS.reset();
        String another = readyPost(star);
        Thread.sleep(2000);
        Map<String, Long> posting = REQUESTS.snapshot();
        System.out.println("requests for one celebrity post (API + media + fan-out): " + posting);
        assertEquals(1, posting.getOrDefault("DynamoDb.BatchWriteItem", 0L), "only the author's own feed entry: " + posting);
        assertEquals(1, feedEntriesOf(another));

        // The same for a normal author with two followers: one batch of feed writes for all of them.
        REQUESTS.reset();
        String normal = readyPost(friend);
        Thread.sleep(2000);
        Map<String, Long> normalPosting = REQUESTS.snapshot();
        System.out.println("requests for one normal post, 2 followers (API + media + fan-out): " + normalPosting);
        assertEquals(1, normalPosting.getOrDefault("DynamoDb.BatchWriteItem", 0L), normalPosting.toString());
        assertEquals(3, feedEntriesOf(normal), "the author and both followers");

        // One post per page: the merged feed pages through both sources with one cursor.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = api.get(reader, "/v1/feed?limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.body());
            page.json().path("items").forEach(item -> paged.add(item.path("id").asText()));
            cursor = page.json().path("next").asText(null);
        } while (cursor != null && paged.size() < 5);
        assertEquals(List.of(normal, another, starsPost, friendsPost), paged);
    }

    @Test
    void aFirstPageOfCelebrityPostsAloneIsFollowedByTheRestOfTheFeed() throws Exception {
        String star = user("idol");
        String reader = user("devotee");
        follow(reader, star);
        follow(user("fan"), star);
        follow(user("fan"), star);
        String friend = user("pal");
        follow(reader, friend);
        String friendsPost = readyPost(friend);
        String starsFirst = readyPost(star);
        String starsSecond = readyPost(star);
        await(() -> feed(reader).equals(List.of(starsSecond, starsFirst, friendsPost)));

        Reply first = api.get(reader, "/v1/feed?limit=2");
        assertEquals(List.of(starsSecond, starsFirst), ids(first), "the first page holds the celebrity's posts only");
        Reply second = api.get(reader, "/v1/feed?limit=2&cursor=" + first.json().path("next").asText());

        assertEquals(200, second.status(), second.body());
        assertEquals(List.of(friendsPost), ids(second), "the pushed feed continues from its top");
    }

    private static List<String> ids(Reply page) {
        List<String> ids = new ArrayList<>();
        page.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }
}
