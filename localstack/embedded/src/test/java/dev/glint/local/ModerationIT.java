package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reports and moderation end to end: people report posts, comments and accounts (each person counted
 * once per thing), only moderators read the queue and decide, a takedown hides the thing on every read
 * path but its owner's (who is told), a dismissal changes nothing else, a decided report stays decided,
 * and every decision is in the log.
 */
class ModerationIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(1_000_000, 1_000_000)
            .withReadLimits(1_000_000, 1_000_000));
    @StackExtension.Inject
    private static ApiClient api;
    @StackExtension.Inject
    private static EmbeddedStack stack;

    private static Reply report(String who, Map<String, String> body) {
        return api.json("POST", who, "/v1/reports", body);
    }

    private static void status(int expected, Reply reply) {
        assertEquals(expected, reply.status(), reply.body());
    }

    private static void error(int status, String code, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(code, reply.errorCode(), reply.body());
    }

    private static List<String> ids(Reply reply) {
        List<String> out = new ArrayList<>();
        reply.json().path("items").forEach(item -> out.add(item.path("id").asText()));
        return out;
    }

    /** Every open report, paged through with the queue's cursors, in the queue's order. */
    private static List<JsonNode> queue(String moderator) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = api.get(moderator, "/v1/moderation/reports?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            status(200, page);
            page.json().path("items").forEach(all::add);
            cursor = page.json().path("next").asText(null);
        } while (cursor != null);
        return all;
    }

    private static List<String> queueIds(String moderator) {
        return queue(moderator).stream().map(r -> r.path("id").asText()).toList();
    }

    private static List<String> kinds(String user) {
        List<String> out = new ArrayList<>();
        api.get(user, "/v1/notifications").json().path("items").forEach(n -> out.add(n.path("kind").asText() + ":"
                + n.path("postId").asText("")));
        return out;
    }

    private static String moderator() {
        String mod = api.newUser("mod_");
        api.tokenWithGroups(mod, "moderator");
        return mod;
    }

    @Test
    void reportsCountEachPersonOnceAndOnlyModeratorsReadTheQueue() throws Exception {
        String alice = api.newUser("alice_");
        String bob = api.newUser("bob_");
        String carol = api.newUser("carol_");
        String erin = api.newUser("erin_");
        String product = api.newUser("prod_");
        api.tokenWithGroups(product, "product");
        String mod = moderator();
        String post = api.readyPost(alice, "buy followers");
        String erinsPost = api.readyPost(erin, "quiet");
        List<String> before = queueIds(mod);

        Reply first = report(bob, Map.of("postId", post, "reason", "spam", "details", "Same link everywhere."));
        status(202, first);
        assertEquals("post", first.json().path("target").path("kind").asText());
        assertEquals(post, first.json().path("target").path("postId").asText());
        assertEquals("spam", first.json().path("reason").asText());
        // The same report again, even with another reason, is the same answer: counted once.
        Reply again = report(bob, Map.of("postId", post, "reason", "hate"));
        status(202, again);
        assertEquals(first.body(), again.body());
        status(202, report(carol, Map.of("postId", post, "reason", "harassment")));

        // Bad requests: 400 saying what to fix, nothing filed.
        error(400, "invalid_target", report(bob, Map.of("reason", "spam")));
        error(400, "invalid_target", report(bob, Map.of("postId", post, "handle", alice, "reason", "spam")));
        error(400, "invalid_target", report(bob, Map.of("commentId", post, "handle", alice, "reason", "spam")));
        error(404, "comment_not_found", report(bob, Map.of("commentId", post, "reason", "spam")));
        error(400, "invalid_reason", report(bob, Map.of("postId", erinsPost, "reason", "boring")));
        error(400, "missing_field", report(bob, Map.of("postId", erinsPost)));
        error(400, "details_required", report(bob, Map.of("postId", erinsPost, "reason", "other")));
        error(400, "invalid_details", report(bob, Map.of("postId", erinsPost, "reason", "spam", "details", "x".repeat(1_001))));
        // Not oneself, nor one's own content.
        error(400, "cannot_report_own", report(alice, Map.of("postId", post, "reason", "spam")));
        error(400, "cannot_report_self", report(alice, Map.of("handle", alice, "reason", "spam")));
        // What the reporter cannot see is missing, answered as a missing thing is.
        Reply missing = report(bob, Map.of("postId", "01JD3K8ZQ4X9V6R2M5N7P8T0AB", "reason", "spam"));
        error(404, "post_not_found", missing);
        status(200, api.send("PUT", "/v1/users/" + bob + "/block", erin, null, null));
        error(404, "post_not_found", report(bob, Map.of("postId", erinsPost, "reason", "spam")));
        // A comment named alone on a post the reporter may not see is a comment that does not exist, no more.
        String erinsComment = api.json("POST", erin, "/v1/posts/" + erinsPost + "/comments", Map.of("text", "hush")).json()
                .path("id").asText();
        error(404, "comment_not_found", report(bob, Map.of("commentId", erinsComment, "reason", "spam")));
        error(404, "user_not_found", report(bob, Map.of("handle", erin, "reason", "spam")));
        error(404, "user_not_found", report(bob, Map.of("handle", "nobody_" + UUID.randomUUID().toString().substring(0, 6),
                "reason", "spam")));

        // The queue: moderators only, 403 JSON for everyone else.
        for (String who : List.of(bob, alice, product)) {
            for (String path : List.of("/v1/moderation/reports", "/v1/moderation/actions", "/v1/moderation/reports/p." + post)) {
                error(403, "forbidden", api.get(who, path));
            }
        }
        List<JsonNode> open = queue(mod);
        List<String> added = open.stream().map(r -> r.path("id").asText()).filter(id -> !before.contains(id)).toList();
        assertEquals(List.of("p." + post), added, "one report of the post, whatever the number of reporters");
        JsonNode seen = open.stream().filter(r -> r.path("id").asText().equals("p." + post)).findFirst().orElseThrow();
        assertEquals(2, seen.path("reporters").asInt());
        assertEquals(1, seen.path("reasons").path("spam").asInt());
        assertEquals(1, seen.path("reasons").path("harassment").asInt());
        assertFalse(seen.path("reasons").has("hate"));
        assertEquals("open", seen.path("status").asText());
        assertEquals(alice, seen.path("owner").path("handle").asText());
        assertEquals("buy followers", seen.path("preview").asText());
        // A report filed later is further down the queue: oldest first.
        String comment = api.json("POST", carol, "/v1/posts/" + post + "/comments", Map.of("text", "nice")).json()
                .path("id").asText();
        status(202, report(bob, Map.of("postId", post, "commentId", comment, "reason", "harassment")));
        List<String> now = queueIds(mod);
        assertTrue(now.indexOf("p." + post) < now.indexOf("c." + post + "." + comment), now.toString());
        // A comment may be named by its id alone: the same report (erin counts once beside bob).
        Reply alone = report(erin, Map.of("commentId", comment, "reason", "spam"));
        status(202, alone);
        assertEquals(post, alone.json().path("target").path("postId").asText(), alone.body());
        assertEquals(comment, alone.json().path("target").path("commentId").asText(), alone.body());
        JsonNode twice = queue(mod).stream().filter(r -> r.path("id").asText().equals("c." + post + "." + comment))
                .findFirst().orElseThrow();
        assertEquals(2, twice.path("reporters").asInt(), twice.toString());
        // A deleted comment is missing by its id alone too.
        String gone = api.json("POST", carol, "/v1/posts/" + post + "/comments", Map.of("text", "soon gone")).json()
                .path("id").asText();
        status(204, api.send("DELETE", "/v1/posts/" + post + "/comments/" + gone, carol, null, null));
        error(404, "comment_not_found", report(bob, Map.of("commentId", gone, "reason", "spam")));
    }

    @Test
    void aTakedownHidesThePostOnEveryReadPathButItsAuthorsWhoIsTold() throws Exception {
        String tag = "mod" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        String alice = api.newUser("alice_");
        String bob = api.newUser("bob_");
        String dave = api.newUser("dave_");
        String mod = moderator();
        status(200, api.send("POST", "/v1/users/" + alice + "/follow", dave, null, null));
        status(200, api.send("POST", "/v1/users/" + alice + "/follow", bob, null, null));
        String post = api.readyPost(alice, "spam spam #" + tag);
        String kept = api.readyPost(alice, "a fine day #" + tag);
        status(201, api.json("POST", dave, "/v1/posts/" + post + "/comments", Map.of("text", "hm")));
        status(200, api.send("PUT", "/v1/posts/" + post + "/like", dave, null, null));
        ApiClient.await(() -> ids(api.get(dave, "/v1/feed")).containsAll(List.of(post, kept))
                && ids(api.get(bob, "/v1/tags/" + tag + "/posts")).containsAll(List.of(post, kept)));
        status(202, report(bob, Map.of("postId", post, "reason", "spam")));

        // A takedown needs a reason; without one nothing changes.
        error(400, "reason_required", api.json("POST", mod, "/v1/moderation/reports/p." + post + "/takedown", Map.of()));
        error(403, "forbidden", api.json("POST", bob, "/v1/moderation/reports/p." + post + "/takedown",
                Map.of("reason", "I say so")));
        status(200, api.get(bob, "/v1/posts/" + post));

        Reply decided = api.json("POST", mod, "/v1/moderation/reports/p." + post + "/takedown", Map.of("reason", "Spam links."));
        status(200, decided);
        assertEquals("taken_down", decided.json().path("status").asText());
        assertEquals("takedown", decided.json().path("decision").path("action").asText());
        assertEquals(mod, decided.json().path("decision").path("moderator").path("handle").asText());
        assertEquals("Spam links.", decided.json().path("decision").path("reason").asText());
        // Decided once: deciding again, either way, is 409 and changes nothing.
        error(409, "report_decided", api.json("POST", mod, "/v1/moderation/reports/p." + post + "/takedown",
                Map.of("reason", "again")));
        error(409, "report_decided", api.send("POST", "/v1/moderation/reports/p." + post + "/dismiss", mod, null, null));
        assertFalse(queueIds(mod).contains("p." + post));
        error(404, "report_not_found", api.send("POST", "/v1/moderation/reports/p.01JD3K8ZQ4X9V6R2M5N7P8T0AB/dismiss", mod,
                null, null));

        // To everyone but its author, the post is missing, answered as a missing post is.
        for (String who : List.of(bob, dave, mod)) {
            Reply gone = api.get(who, "/v1/posts/" + post);
            error(404, "post_not_found", gone);
            assertEquals(api.get(who, "/v1/posts/01JD3K8ZQ4X9V6R2M5N7P8T0AB").json().path("error").path("message").asText()
                    .replace("01JD3K8ZQ4X9V6R2M5N7P8T0AB", post), gone.json().path("error").path("message").asText());
            error(404, "post_not_found", api.get(who, "/v1/posts/" + post + "/comments"));
            error(404, "post_not_found", api.send("PUT", "/v1/posts/" + post + "/like", who, null, null));
            error(404, "post_not_found", api.json("POST", who, "/v1/posts/" + post + "/comments", Map.of("text", "still?")));
            assertFalse(ids(api.get(who, "/v1/users/" + alice + "/posts")).contains(post));
            assertTrue(ids(api.get(who, "/v1/users/" + alice + "/posts")).contains(kept));
        }
        assertFalse(ids(api.get(dave, "/v1/feed")).contains(post));
        assertTrue(ids(api.get(dave, "/v1/feed")).contains(kept));
        ApiClient.await(() -> !ids(api.get(bob, "/v1/tags/" + tag + "/posts")).contains(post));
        assertTrue(ids(api.get(bob, "/v1/tags/" + tag + "/posts")).contains(kept));

        // Its author still sees it, with why and when; it takes no new like or comment, even theirs.
        Reply own = api.get(alice, "/v1/posts/" + post);
        status(200, own);
        assertEquals("removed", own.json().path("status").asText());
        assertEquals("Spam links.", own.json().path("removed").path("reason").asText());
        assertNotNull(own.json().path("removed").path("at").asText(null));
        error(404, "post_not_found", api.send("PUT", "/v1/posts/" + post + "/like", alice, null, null));
        error(404, "post_not_found", api.json("POST", alice, "/v1/posts/" + post + "/comments", Map.of("text", "why")));
        // An edit racing the takedown (or after it) leaves it removed.
        status(200, api.json("PATCH", alice, "/v1/posts/" + post, Map.of("caption", "edited #" + tag)));
        assertEquals("removed", api.get(alice, "/v1/posts/" + post).json().path("status").asText());
        error(404, "post_not_found", api.get(bob, "/v1/posts/" + post));

        // The author is told, once; the actor is the moderation team, not the moderator.
        ApiClient.await(() -> kinds(alice).contains("post_removed:" + post));
        JsonNode told = null;
        for (JsonNode n : api.get(alice, "/v1/notifications").json().path("items")) {
            if (n.path("kind").asText().equals("post_removed")) {
                told = n;
            }
        }
        assertNotNull(told);
        assertEquals("glint-moderation", told.path("actor").path("id").asText());
        assertEquals(1, kinds(alice).stream().filter(k -> k.startsWith("post_removed")).count());

        // The log: who, when, what.
        Reply log = api.get(mod, "/v1/moderation/actions");
        status(200, log);
        JsonNode line = log.json().path("items").get(0);
        assertEquals("p." + post, line.path("reportId").asText());
        assertEquals("takedown", line.path("action").asText());
        assertEquals(mod, line.path("moderator").path("handle").asText());
        assertEquals(alice, line.path("owner").path("handle").asText());
        assertEquals("Spam links.", line.path("reason").asText());
        Reply report = api.get(mod, "/v1/moderation/reports/p." + post);
        status(200, report);
        assertEquals("taken_down", report.json().path("status").asText());
    }

    @Test
    void aTakenDownCommentIsSeenByItsAuthorAloneAndADismissalChangesNothing() throws Exception {
        String alice = api.newUser("alice_");
        String bob = api.newUser("bob_");
        String dave = api.newUser("dave_");
        String mod = moderator();
        String post = api.readyPost(alice, "harbour");
        String rude = api.json("POST", dave, "/v1/posts/" + post + "/comments", Map.of("text", "rude words")).json()
                .path("id").asText();
        String kind = api.json("POST", bob, "/v1/posts/" + post + "/comments", Map.of("text", "lovely")).json()
                .path("id").asText();
        status(202, report(bob, Map.of("postId", post, "commentId", rude, "reason", "harassment")));
        status(202, report(dave, Map.of("postId", post, "commentId", kind, "reason", "other", "details", "I dislike it")));
        error(400, "cannot_report_own", report(dave, Map.of("postId", post, "commentId", rude, "reason", "spam")));

        status(200, api.json("POST", mod, "/v1/moderation/reports/c." + post + "." + rude + "/takedown",
                Map.of("reason", "Harassment.")));
        Reply dismissed = api.send("POST", "/v1/moderation/reports/c." + post + "." + kind + "/dismiss", mod, null, null);
        status(200, dismissed);
        assertEquals("dismissed", dismissed.json().path("status").asText());
        error(409, "report_decided", api.send("POST", "/v1/moderation/reports/c." + post + "." + kind + "/dismiss", mod,
                null, null));

        for (String who : List.of(alice, bob)) {
            assertEquals(List.of(kind), ids(api.get(who, "/v1/posts/" + post + "/comments")));
        }
        Reply own = api.get(dave, "/v1/posts/" + post + "/comments");
        assertEquals(List.of(rude, kind), ids(own));
        assertEquals("Harassment.", own.json().path("items").get(0).path("removed").path("reason").asText());
        error(404, "comment_not_found", report(alice, Map.of("postId", post, "commentId", rude, "reason", "spam")));
        ApiClient.await(() -> kinds(dave).contains("comment_removed:" + post));
        assertFalse(kinds(bob).stream().anyMatch(k -> k.contains("removed")), "a dismissal tells nobody");

        Reply log = api.get(mod, "/v1/moderation/actions?limit=2");
        Map<String, String> actions = new HashMap<>();
        log.json().path("items").forEach(a -> actions.put(a.path("reportId").asText(), a.path("action").asText()));
        assertEquals(Map.of("c." + post + "." + kind, "dismiss", "c." + post + "." + rude, "takedown"), actions);
        assertEquals("c." + post + "." + kind, log.json().path("items").get(0).path("reportId").asText(), "newest first");
    }

    @Test
    void aSuspendedAccountIsMissingToOthersAndWritesNothing() throws Exception {
        String frank = api.newUser("frank_");
        String bob = api.newUser("bob_");
        String mod = moderator();
        String post = api.readyPost(frank, "scam");
        String onBobs = api.readyPost(bob, "sunset");
        String comment = api.json("POST", frank, "/v1/posts/" + onBobs + "/comments", Map.of("text", "dm me")).json()
                .path("id").asText();
        status(200, api.send("POST", "/v1/users/" + frank + "/follow", bob, null, null));
        Reply filed = report(bob, Map.of("handle", frank, "reason", "spam"));
        status(202, filed);
        assertEquals(frank, filed.json().path("target").path("account").path("handle").asText());
        String reportId = "u." + api.get(frank, "/v1/me").json().path("id").asText();
        assertEquals(1, ids(api.get(bob, "/v1/search/users?q=" + frank)).size(), "found before the suspension");

        status(200, api.json("POST", mod, "/v1/moderation/reports/" + reportId + "/takedown", Map.of("reason", "Scams.")));

        for (String path : List.of("", "/posts", "/followers")) {
            error(404, "user_not_found", api.get(bob, "/v1/users/" + frank + path));
        }
        error(404, "post_not_found", api.get(bob, "/v1/posts/" + post));
        assertFalse(ids(api.get(bob, "/v1/posts/" + onBobs + "/comments")).contains(comment));
        error(404, "post_not_found", api.send("PUT", "/v1/posts/" + post + "/like", bob, null, null));
        error(404, "user_not_found", api.send("POST", "/v1/users/" + frank + "/follow", bob, null, null));
        assertTrue(ids(api.get(bob, "/v1/search/users?q=" + frank)).isEmpty(), "nobody by that name");
        assertFalse(ids(api.get(bob, "/v1/feed")).contains(post));
        // The owner reads their account, with why; every write is refused, saying so.
        Reply me = api.get(frank, "/v1/me");
        status(200, me);
        assertEquals("Scams.", me.json().path("suspended").path("reason").asText());
        error(403, "account_suspended", api.json("POST", frank, "/v1/posts/" + onBobs + "/comments", Map.of("text", "hi")));
        error(403, "account_suspended", api.json("PUT", frank, "/v1/me", Map.of("bio", "new")));
        error(403, "account_suspended", api.send("PUT", "/v1/posts/" + onBobs + "/like", frank, null, null));
        error(403, "account_suspended", report(frank, Map.of("postId", onBobs, "reason", "spam")));
        ApiClient.await(() -> kinds(frank).contains("account_suspended:"));
    }

    @Test
    void commentsMadeBeforeTheirLocatorsAreReportableByIdAloneOnceTheBackfillRan() throws Exception {
        String alice = api.newUser("alice_");
        String bob = api.newUser("bob_");
        String post = api.readyPost(alice, "old comments");
        String comment = api.json("POST", bob, "/v1/posts/" + post + "/comments", Map.of("text", "from before")).json()
                .path("id").asText();
        // As a comment written before locators existed: its locator taken away.
        var dynamo = stack.clients().dynamoDb();
        var locator = dev.glint.shared.aws.Keys.commentLocator(comment);
        dynamo.deleteItem(r -> r.tableName(stack.config().table()).key(Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(locator.pk()),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(locator.sk()))));
        error(404, "comment_not_found", report(alice, Map.of("commentId", comment, "reason", "spam")));
        status(202, report(alice, Map.of("postId", post, "commentId", comment, "reason", "spam")));

        var backfill = new dev.glint.shared.aws.CommentLocatorBackfill(dynamo, stack.config().table());
        for (int run = 0; run < 2; run++) {
            int written = 0;
            int present = 0;
            for (int segment = 0; segment < 2; segment++) {
                java.util.Optional<dev.glint.shared.paging.PageToken> position = java.util.Optional.empty();
                do {
                    var progress = backfill.page(segment, 2, position);
                    written += progress.written();
                    present += progress.present();
                    position = progress.next();
                } while (position.isPresent());
            }
            assertEquals(run == 0 ? 1 : 0, written, "only the comment without one, and only once");
            assertTrue(present >= (run == 0 ? 0 : 1), "the others have theirs: " + present);
        }
        Reply alone = report(alice, Map.of("commentId", comment, "reason", "spam"));
        status(202, alone);
        assertEquals(post, alone.json().path("target").path("postId").asText(), alone.body());
    }
}
