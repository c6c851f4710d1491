package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.aws.S3UploadSigner;
import dev.glint.shared.social.UploadSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nobody reaches what is not theirs: every route that takes an id (or acts on the caller's own
 * things) tried by another user, with no token, with the owner's expired token, with a token the
 * gateway did not sign, and with the valid token of a user who has no profile; each is denied and
 * nothing changes. Presigned upload URLs reach only the caller's own prefix and expire.
 */
class AuthorizationMatrixIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass();
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    /** One attempt: who, what, and the statuses that count as denied. */
    record Attempt(String who, String method, String path, Object body, Set<Integer> denied) {
    }

    @Test
    void everyRouteWithAnIdDeniesEveryoneButTheOwnerAndChangesNothing() throws Exception {
        String owner = api.newUser("owner_");
        String intruder = api.newUser("intruder_");
        String fan = api.newUser("fan_");
        String ghost = "ghost_" + UUID.randomUUID().toString().substring(0, 6); // a valid token, never a profile
        String postId = api.readyPost(owner, "mine #authz");
        String ownerComment = api.json("POST", owner, "/v1/posts/" + postId + "/comments", Map.of("text", "my own"))
                .json().path("id").asText();
        String fanComment = api.json("POST", fan, "/v1/posts/" + postId + "/comments", Map.of("text", "a fan's"))
                .json().path("id").asText();
        api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null);
        api.send("POST", "/v1/users/" + owner + "/follow", fan, null, null);
        String unusedUpload = api.json("POST", owner, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 10))
                .json().path("uploadId").asText();
        ApiClient.await(() -> api.get(owner, "/v1/notifications").json().path("items").size() >= 3);
        String ownerNotificationsCursor = api.get(owner, "/v1/notifications?limit=1").json().path("next").asText();
        String ownerFollowersCursor = api.get(owner, "/v1/users/" + owner + "/followers?limit=1").json().path("next").asText(null);
        // An open report of the owner's post, for the moderators' routes to aim at; a product team member, who is no moderator.
        assertEquals(202, api.json("POST", fan, "/v1/reports", Map.of("postId", postId, "reason", "spam")).status());
        String reported = "/v1/moderation/reports/p." + postId;
        String analyst = "analyst_" + UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithGroups(analyst, "product");

        String ownerToken = api.token(owner);
        String expired = stack.issuer().issue(owner, List.of(), Duration.ofMinutes(-1));
        String forged = LocalJwtIssuer.create(null, EmbeddedStack.ISSUER, Clock.systemUTC()).issue(owner, List.of("product"),
                Duration.ofHours(1));
        String forgedModerator = LocalJwtIssuer.create(null, EmbeddedStack.ISSUER, Clock.systemUTC()).issue(owner,
                List.of("moderator"), Duration.ofHours(1));
        String expiredModerator = stack.issuer().issue(owner, List.of("moderator"), Duration.ofMinutes(-1));

        // Every non-public route, aimed at the owner's things.
        List<String[]> routes = List.of(
                new String[]{"GET", "/v1/me"}, new String[]{"PUT", "/v1/me"},
                new String[]{"GET", "/v1/users/" + owner}, new String[]{"POST", "/v1/users/" + owner + "/follow"},
                new String[]{"DELETE", "/v1/users/" + owner + "/follow"}, new String[]{"GET", "/v1/users/" + owner + "/followers"},
                new String[]{"GET", "/v1/users/" + owner + "/following"}, new String[]{"GET", "/v1/users/" + owner + "/posts"},
                new String[]{"POST", "/v1/uploads"}, new String[]{"POST", "/v1/posts"},
                new String[]{"GET", "/v1/posts/" + postId}, new String[]{"DELETE", "/v1/posts/" + postId},
                new String[]{"PUT", "/v1/posts/" + postId + "/like"}, new String[]{"DELETE", "/v1/posts/" + postId + "/like"},
                new String[]{"POST", "/v1/posts/" + postId + "/comments"}, new String[]{"GET", "/v1/posts/" + postId + "/comments"},
                new String[]{"DELETE", "/v1/posts/" + postId + "/comments/" + ownerComment},
                new String[]{"DELETE", "/v1/posts/" + postId + "/comments/" + fanComment},
                new String[]{"GET", "/v1/feed"}, new String[]{"GET", "/v1/notifications"},
                new String[]{"POST", "/v1/notifications/read"}, new String[]{"GET", "/v1/tags/authz/posts"},
                new String[]{"GET", "/v1/reports/daily?from=2026-01-01&to=2026-01-02"},
                new String[]{"GET", "/v1/experiments"}, new String[]{"POST", "/v1/experiments"},
                new String[]{"PATCH", "/v1/experiments/feed-ranking"}, new String[]{"GET", "/v1/experiments/feed-ranking/changes"},
                new String[]{"GET", "/v1/experiments/feed-ranking/results"},
                new String[]{"PUT", "/v1/users/" + owner + "/block"}, new String[]{"DELETE", "/v1/users/" + owner + "/block"},
                new String[]{"PUT", "/v1/users/" + owner + "/mute"}, new String[]{"DELETE", "/v1/users/" + owner + "/mute"},
                new String[]{"GET", "/v1/me/blocks"}, new String[]{"GET", "/v1/me/mutes"},
                new String[]{"POST", "/v1/reports"}, new String[]{"GET", "/v1/moderation/reports"}, new String[]{"GET", reported},
                new String[]{"POST", reported + "/takedown"}, new String[]{"POST", reported + "/dismiss"},
                new String[]{"GET", "/v1/moderation/actions"});
        Map<String, Object> bodies = new LinkedHashMap<>();
        bodies.put("PUT /v1/me", Map.of("displayName", "taken over"));
        bodies.put("POST /v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 10));
        bodies.put("POST /v1/posts", Map.of("uploadId", unusedUpload, "caption", "stolen upload"));
        bodies.put("POST /v1/posts/" + postId + "/comments", Map.of("text", "x"));
        bodies.put("POST /v1/notifications/read", Map.of("upTo", Instant.now().toString()));
        bodies.put("POST /v1/experiments", Map.of("id", "authz-new", "surface", "feed", "control", "a",
                "variants", List.of(Map.of("name", "a", "weight", 1), Map.of("name", "b", "weight", 1)),
                "metrics", List.of("likes"), "start", "2026-01-01T00:00:00Z", "end", "2030-01-01T00:00:00Z"));
        bodies.put("PATCH /v1/experiments/feed-ranking", Map.of("status", "stopped"));
        bodies.put("POST /v1/reports", Map.of("postId", postId, "reason", "harassment"));
        bodies.put("POST " + reported + "/takedown", Map.of("reason", "not a moderator"));
        bodies.put("POST " + reported + "/dismiss", Map.of("reason", "not a moderator"));

        List<Attempt> attempts = new ArrayList<>();
        for (String[] route : routes) {
            Object body = bodies.get(route[0] + " " + route[1]);
            for (String who : List.of("anonymous", "expired", "forged")) {
                attempts.add(new Attempt(who, route[0], route[1], body, Set.of(401)));
            }
            if (route[0].equals("DELETE") && (route[1].endsWith("/follow") || route[1].endsWith("/like")
                    || route[1].endsWith("/block") || route[1].endsWith("/mute"))) {
                // Unfollow, unlike, unblock and unmute are idempotent: one who has no profile has none to remove,
                // and is told so (200, changed/liked false); the snapshot shows nothing changed.
                attempts.add(new Attempt("ghost", route[0], route[1], body, Set.of(200, 403, 404)));
            } else if (route[1].startsWith("/v1/moderation/")) {
                // The moderators' routes, reads included, are refused to anyone outside the moderator group.
                attempts.add(new Attempt("ghost", route[0], route[1], body, Set.of(403)));
            } else if (!route[0].equals("GET") && !route[1].equals("/v1/me")) {
                // A user without a profile writes nothing, anywhere (but may create their profile).
                attempts.add(new Attempt("ghost", route[0], route[1], body, Set.of(403, 404)));
            }
        }
        // Another user, at what only the owner may do.
        attempts.add(new Attempt("intruder", "DELETE", "/v1/posts/" + postId, null, Set.of(403)));
        attempts.add(new Attempt("intruder", "DELETE", "/v1/posts/" + postId + "/comments/" + ownerComment, null, Set.of(403)));
        attempts.add(new Attempt("intruder", "DELETE", "/v1/posts/" + postId + "/comments/" + fanComment, null, Set.of(403)));
        attempts.add(new Attempt("intruder", "POST", "/v1/posts", Map.of("uploadId", unusedUpload, "caption", "stolen upload"),
                Set.of(404)));
        attempts.add(new Attempt("intruder", "GET", "/v1/reports/daily?from=2026-01-01&to=2026-01-02", null, Set.of(403)));
        // Experiments are the product group's: anyone else reads and changes none of them.
        for (String[] route : routes) {
            if (route[1].startsWith("/v1/experiments")) {
                attempts.add(new Attempt("intruder", route[0], route[1], bodies.get(route[0] + " " + route[1]), Set.of(403)));
            }
        }
        // Moderation is the moderator group's: a user, the reported post's owner and a product team member
        // read no report and decide none.
        for (String[] route : routes) {
            if (route[1].startsWith("/v1/moderation/")) {
                for (String who : List.of("intruder", "owner", "analyst")) {
                    attempts.add(new Attempt(who, route[0], route[1], bodies.get(route[0] + " " + route[1]), Set.of(403)));
                }
                // A moderator's group in a token the gateway did not sign, or one expired, is no moderator either.
                for (String who : List.of("forged-moderator", "expired-moderator")) {
                    attempts.add(new Attempt(who, route[0], route[1], bodies.get(route[0] + " " + route[1]), Set.of(401)));
                }
            }
        }
        // The owner's cursors are bound to the owner's lists.
        attempts.add(new Attempt("intruder", "POST", "/v1/notifications/read", Map.of("upTo", ownerNotificationsCursor), Set.of(400)));
        attempts.add(new Attempt("intruder", "GET", "/v1/notifications?cursor=" + ownerNotificationsCursor, null, Set.of(400)));
        if (ownerFollowersCursor != null) {
            attempts.add(new Attempt("intruder", "GET", "/v1/users/" + intruder + "/followers?cursor=" + ownerFollowersCursor,
                    null, Set.of(400)));
        }

        StackSnapshot before = StackSnapshot.quiet(stack);
        List<String> failures = new ArrayList<>();
        for (Attempt attempt : attempts) {
            String token = switch (attempt.who()) {
                case "anonymous" -> null;
                case "expired" -> expired;
                case "forged" -> forged;
                case "owner" -> ownerToken;
                case "forged-moderator" -> forgedModerator;
                case "expired-moderator" -> expiredModerator;
                case "analyst" -> api.token(analyst);
                default -> api.token(attempt.who().equals("ghost") ? ghost : intruder);
            };
            Reply reply = send(attempt, token);
            if (!attempt.denied().contains(reply.status()) || reply.json() == null) {
                failures.add(attempt + " -> " + reply.status() + " " + reply.body());
            }
        }
        // What the intruder can read of the owner's private lists: nothing of the owner's.
        JsonNode intruderNotifications = api.get(intruder, "/v1/notifications").json().path("items");
        assertEquals(0, intruderNotifications.size(), intruderNotifications.toString());
        assertNotEquals(ownerToken, api.token(intruder));

        // Presigned URLs: the caller's own prefix only, and they expire.
        JsonNode intruderUpload = api.json("POST", intruder, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 4))
                .json();
        String ownerId = LocalJwtIssuer.subjectOf(owner);
        String intruderId = LocalJwtIssuer.subjectOf(intruder);
        String url = intruderUpload.path("url").asText();
        assertTrue(url.contains("/uploads/" + intruderId + "/"), url);
        int intoOwnersPrefix = put(url.replace("/uploads/" + intruderId + "/", "/uploads/" + ownerId + "/"), intruderUpload, 4);
        int ontoOwnersUpload = put(url.replace("/uploads/" + intruderId + "/" + intruderUpload.path("uploadId").asText(),
                "/uploads/" + ownerId + "/" + unusedUpload), intruderUpload, 4);
        int otherBucket = put(url.replace(stack.config().uploadsBucket(), stack.config().mediaBucket()), intruderUpload, 4);
        // Signed by the very signer the api uses, with a one-second lifetime, used after it has passed.
        var shortLived = new S3UploadSigner(stack.clients().s3Presigner(), stack.config().uploadsBucket())
                .presignUpload(intruderId, "01JD3X9K2M4N5P6Q7R8S9T0V1W", "image/jpeg", 4, Duration.ofSeconds(1));
        Thread.sleep(2_500);
        int expiredPut = put(shortLived, 4);

        StackSnapshot after = StackSnapshot.quiet(stack);
        // The intruder's own upload, made above, and the daily quota it took.
        after.items().keySet().removeIf(k -> k.startsWith("UPLOAD#" + intruderUpload.path("uploadId").asText() + "|")
                || k.startsWith("QUOTA#" + intruderId + "#"));

        assertTrue(failures.isEmpty(), failures.size() + " of " + attempts.size() + " attempts were not denied:\n"
                + String.join("\n", failures));
        assertEquals(403, intoOwnersPrefix, "a presigned URL edited into another user's prefix");
        assertEquals(403, ontoOwnersUpload, "a presigned URL edited onto another user's upload");
        assertEquals(403, otherBucket, "a presigned URL edited into the media bucket");
        assertEquals(403, expiredPut, "an expired presigned URL");
        assertEquals(before, after, () -> before.diff(after));
        Map<String, Long> byWho = new java.util.TreeMap<>();
        attempts.forEach(a -> byWho.merge(a.who(), 1L, Long::sum));
        String report = "authorization matrix: " + attempts.size() + " attempts over " + routes.size() + " routes " + byWho
                + ", all denied; 4 edited or expired presigned PUTs, all 403; " + before.items().size() + " items and "
                + before.objects().size() + " objects unchanged\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "authorization-matrix.txt"), report);
        System.out.println(report);
        assertFalse(attempts.isEmpty());
    }

    /**
     * The authorization matrix extended to blocks: once the owner blocks someone, every route about the
     * owner, their posts and their comments answers the blocked user exactly as for a handle nobody has or
     * a post that does not exist (status, content type and body, byte for byte, the names aside), in the
     * other direction too, and nothing changes.
     */
    @Test
    void toTheBlockedSideTheBlockerIsAMissingUserOnEveryRouteAndNothingChanges() throws Exception {
        String owner = api.newUser("blocker_");
        String blocked = api.newUser("blocked_");
        String missing = "nobody_" + UUID.randomUUID().toString().substring(0, 6);
        String missingPost = "01JD3X9K2M4N5P6Q7R8S9T0V1W";
        api.send("POST", "/v1/users/" + owner + "/follow", blocked, null, null);
        api.send("POST", "/v1/users/" + blocked + "/follow", owner, null, null);
        String postId = api.readyPost(owner, "blocked out #blockmatrix");
        String comment = api.json("POST", owner, "/v1/posts/" + postId + "/comments", Map.of("text", "mine"))
                .json().path("id").asText();
        api.send("PUT", "/v1/posts/" + postId + "/like", blocked, null, null);
        String blockedComment = api.json("POST", blocked, "/v1/posts/" + postId + "/comments", Map.of("text", "theirs"))
                .json().path("id").asText();
        assertEquals(200, api.send("PUT", "/v1/users/" + blocked + "/block", owner, null, null).status());

        String userPath = "/v1/users/{handle}";
        List<String[]> routes = List.of(
                new String[]{"GET", userPath}, new String[]{"POST", userPath + "/follow"}, new String[]{"DELETE", userPath + "/follow"},
                new String[]{"GET", userPath + "/followers"}, new String[]{"GET", userPath + "/following"},
                new String[]{"GET", userPath + "/posts"}, new String[]{"PUT", userPath + "/block"},
                new String[]{"DELETE", userPath + "/block"}, new String[]{"PUT", userPath + "/mute"},
                new String[]{"DELETE", userPath + "/mute"},
                new String[]{"GET", "/v1/posts/{id}"}, new String[]{"PATCH", "/v1/posts/{id}"}, new String[]{"DELETE", "/v1/posts/{id}"},
                new String[]{"PUT", "/v1/posts/{id}/like"}, new String[]{"DELETE", "/v1/posts/{id}/like"},
                new String[]{"POST", "/v1/posts/{id}/comments"}, new String[]{"GET", "/v1/posts/{id}/comments"},
                new String[]{"DELETE", "/v1/posts/{id}/comments/" + comment},
                new String[]{"DELETE", "/v1/posts/{id}/comments/" + blockedComment});
        Map<String, Object> bodies = Map.of("PATCH /v1/posts/{id}", Map.of("caption", "changed"),
                "POST /v1/posts/{id}/comments", Map.of("text", "let me in"));

        StackSnapshot before = StackSnapshot.quiet(stack);
        List<String> failures = new ArrayList<>();
        int compared = 0;
        // The blocked at the blocker's things, and the blocker at the blocked's profile and lists.
        for (String[] side : List.of(new String[]{blocked, owner, postId}, new String[]{owner, blocked, null})) {
            String token = api.token(side[0]);
            for (String[] route : routes) {
                if (side[2] == null && route[1].startsWith("/v1/posts/")) {
                    continue;
                }
                if (side[0].equals(owner) && route[1].endsWith("/block")) {
                    continue; // the blocker may block again (no change) and unblock: tested in BlocksIT
                }
                Object body = bodies.get(route[0] + " " + route[1]);
                String real = route[1].replace("{handle}", side[1]).replace("{id}", String.valueOf(side[2]));
                String absent = route[1].replace("{handle}", missing).replace("{id}", missingPost);
                Reply toReal = send(new Attempt(side[0], route[0], real, body, Set.of()), token);
                Reply toAbsent = send(new Attempt(side[0], route[0], absent, body, Set.of()), token);
                String realBody = toReal.body().replace(side[1], "<handle>").replace(String.valueOf(side[2]), "<id>");
                String absentBody = toAbsent.body().replace(missing, "<handle>").replace(missingPost, "<id>");
                compared++;
                if (toReal.status() != toAbsent.status() || !realBody.equals(absentBody)
                        || !toReal.raw().headers().firstValue("content-type").equals(toAbsent.raw().headers().firstValue("content-type"))
                        || toReal.status() != 404) {
                    failures.add(side[0] + " " + route[0] + " " + real + " -> " + toReal.status() + " " + toReal.body()
                            + "; as missing -> " + toAbsent.status() + " " + toAbsent.body());
                }
            }
        }
        // Reports: the blocker's post, their comment and their account are, to the blocked, things nobody could report.
        String blockedToken = api.token(blocked);
        List<Map<String, String>[]> reports = List.of(
                pair(Map.of("postId", postId, "reason", "spam"), Map.of("postId", missingPost, "reason", "spam")),
                pair(Map.of("postId", postId, "commentId", comment, "reason", "spam"),
                        Map.of("postId", missingPost, "commentId", comment, "reason", "spam")),
                pair(Map.of("handle", owner, "reason", "spam"), Map.of("handle", missing, "reason", "spam")));
        for (Map<String, String>[] report : reports) {
            Reply toReal = send(new Attempt(blocked, "POST", "/v1/reports", report[0], Set.of()), blockedToken);
            Reply toAbsent = send(new Attempt(blocked, "POST", "/v1/reports", report[1], Set.of()), blockedToken);
            String realBody = toReal.body().replace(owner, "<handle>").replace(postId, "<id>");
            String absentBody = toAbsent.body().replace(missing, "<handle>").replace(missingPost, "<id>");
            compared++;
            if (toReal.status() != 404 || toReal.status() != toAbsent.status() || !realBody.equals(absentBody)) {
                failures.add(blocked + " POST /v1/reports " + report[0] + " -> " + toReal.status() + " " + toReal.body()
                        + "; as missing -> " + toAbsent.status() + " " + toAbsent.body());
            }
        }
        StackSnapshot after = StackSnapshot.quiet(stack);
        assertTrue(failures.isEmpty(), failures.size() + " of " + compared + " answers differ from a missing user's:\n"
                + String.join("\n", failures));
        assertEquals(before, after, () -> before.diff(after));
        String report = "blocks matrix: " + compared + " routes about the other side answered as for a missing user, byte for byte; "
                + before.items().size() + " items unchanged\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "authorization-matrix-blocks.txt"), report);
        System.out.println(report);
    }

    /**
     * The authorization matrix extended to private accounts: a stranger, a requester still pending and a user
     * with no profile reach none of a private account's posts (every route about its post, its likes and its
     * comments answers exactly as for a post that does not exist) nor its lists (403 account_private), nor
     * anyone's follow requests but their own; an approved follower reads them; and nothing changes.
     */
    @Test
    void aPrivateAccountsPostsAndListsAreDeniedToAllButItsFollowersAndNothingChanges() throws Exception {
        String owner = api.newUser("locked_");
        String follower = api.newUser("approved_");
        String stranger = api.newUser("stranger_");
        String pending = api.newUser("pending_");
        String ghost = "ghost_" + UUID.randomUUID().toString().substring(0, 6);
        String missingPost = "01JD3X9K2M4N5P6Q7R8S9T0V1W";
        assertEquals(200, api.json("PUT", owner, "/v1/me", Map.of("private", true)).status());
        assertEquals(202, api.send("POST", "/v1/users/" + owner + "/follow", follower, null, null).status());
        assertEquals(200, api.send("POST", "/v1/me/follow-requests/" + follower + "/approve", owner, null, null).status());
        assertEquals(202, api.send("POST", "/v1/users/" + owner + "/follow", pending, null, null).status());
        String postId = api.readyPost(owner, "friends only #privatematrix");
        String comment = api.json("POST", follower, "/v1/posts/" + postId + "/comments", Map.of("text", "nice"))
                .json().path("id").asText();
        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", follower, null, null).status());

        List<String[]> postRoutes = List.of(
                new String[]{"GET", "/v1/posts/{id}"}, new String[]{"PATCH", "/v1/posts/{id}"}, new String[]{"DELETE", "/v1/posts/{id}"},
                new String[]{"PUT", "/v1/posts/{id}/like"}, new String[]{"DELETE", "/v1/posts/{id}/like"},
                new String[]{"POST", "/v1/posts/{id}/comments"}, new String[]{"GET", "/v1/posts/{id}/comments"},
                new String[]{"DELETE", "/v1/posts/{id}/comments/" + comment});
        Map<String, Object> bodies = Map.of("PATCH /v1/posts/{id}", Map.of("caption", "changed"),
                "POST /v1/posts/{id}/comments", Map.of("text", "let me in"));
        List<String> lists = List.of("/followers", "/following", "/posts");

        StackSnapshot before = StackSnapshot.quiet(stack);
        List<String> failures = new ArrayList<>();
        int attempts = 0;
        for (String who : List.of(stranger, pending, ghost)) {
            String token = api.token(who);
            for (String[] route : postRoutes) {
                Object body = bodies.get(route[0] + " " + route[1]);
                Reply toReal = send(new Attempt(who, route[0], route[1].replace("{id}", postId), body, Set.of()), token);
                Reply toAbsent = send(new Attempt(who, route[0], route[1].replace("{id}", missingPost), body, Set.of()), token);
                attempts++;
                if (toReal.status() != 404 || toReal.status() != toAbsent.status()
                        || !toReal.body().replace(postId, "<id>").equals(toAbsent.body().replace(missingPost, "<id>"))) {
                    failures.add(who + " " + route[0] + " " + route[1] + " -> " + toReal.status() + " " + toReal.body()
                            + "; as missing -> " + toAbsent.status() + " " + toAbsent.body());
                }
            }
            for (String list : lists) {
                Reply reply = send(new Attempt(who, "GET", "/v1/users/" + owner + list, null, Set.of(403)), token);
                attempts++;
                if (reply.status() != 403 || reply.json() == null
                        || !"account_private".equals(reply.json().path("error").path("code").asText())) {
                    failures.add(who + " GET " + list + " -> " + reply.status() + " " + reply.body());
                }
            }
            // Nobody answers another's requests: to the caller there is no request to answer.
            for (String verb : List.of("approve", "deny")) {
                Reply reply = send(new Attempt(who, "POST", "/v1/me/follow-requests/" + pending + "/" + verb, null, Set.of(404)), token);
                attempts++;
                if (reply.status() != 404 && !(verb.equals("deny") && reply.status() == 200
                        && reply.body().equals("{\"denied\":true,\"changed\":false}"))) {
                    failures.add(who + " POST " + verb + " -> " + reply.status() + " " + reply.body());
                }
            }
            Reply mine = send(new Attempt(who, "GET", "/v1/me/follow-requests", null, Set.of()), token);
            attempts++;
            if (mine.status() == 200 && mine.body().contains(pending)) {
                failures.add(who + " listed the owner's requests: " + mine.body());
            }
            // The tag index lists the public and never the private post.
            Reply tagged = send(new Attempt(who, "GET", "/v1/tags/privatematrix/posts", null, Set.of()), token);
            attempts++;
            if (tagged.body().contains(postId)) {
                failures.add(who + " found the private post by tag: " + tagged.body());
            }
        }
        StackSnapshot after = StackSnapshot.quiet(stack);
        assertTrue(failures.isEmpty(), failures.size() + " of " + attempts + " attempts were not denied:\n"
                + String.join("\n", failures));
        assertEquals(before, after, () -> before.diff(after));
        // Not a test that cannot fail: the approved follower reads what the others could not.
        assertEquals(200, api.get(follower, "/v1/posts/" + postId).status());
        assertEquals(200, api.get(follower, "/v1/users/" + owner + "/posts").status());
        assertEquals(List.of(pending), api.get(owner, "/v1/me/follow-requests").json().findValuesAsText("handle"));
        String report = "private accounts matrix: " + attempts + " attempts by a stranger, a pending requester and a user "
                + "without a profile, all denied (posts as missing, lists 403 account_private); " + before.items().size()
                + " items unchanged\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "authorization-matrix-private.txt"), report);
        System.out.println(report);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String>[] pair(Map<String, String> real, Map<String, String> absent) {
        return new Map[]{real, absent};
    }

    private static Reply send(Attempt attempt, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.apiEndpoint().resolve(attempt.path()))
                .timeout(Duration.ofSeconds(30))
                .method(attempt.method(), attempt.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(attempt.body())));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (attempt.body() != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            json = ApiClient.JSON.readTree(response.body());
        }
        return new Reply(response.statusCode(), json, response.body(), response);
    }

    /** PUTs {@code length} bytes to a URL with the signed headers of a presigned upload. */
    private static int put(String url, JsonNode presigned, int length) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[length]));
        presigned.path("headers").fields().forEachRemaining(h -> {
            if (!Set.of("content-length", "host").contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        return HTTP.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int put(UploadSigner.Presigned presigned, int length) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.url()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[length]));
        presigned.headers().forEach((name, value) -> {
            if (!Set.of("content-length", "host").contains(name.toLowerCase(java.util.Locale.ROOT))) {
                put.header(name, value);
            }
        });
        return HTTP.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
