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

        String ownerToken = api.token(owner);
        String expired = stack.issuer().issue(owner, List.of(), Duration.ofMinutes(-1));
        String forged = LocalJwtIssuer.create(null, EmbeddedStack.ISSUER, Clock.systemUTC()).issue(owner, List.of("product"),
                Duration.ofHours(1));

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
                new String[]{"GET", "/v1/experiments/feed-ranking/results"});
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

        List<Attempt> attempts = new ArrayList<>();
        for (String[] route : routes) {
            Object body = bodies.get(route[0] + " " + route[1]);
            for (String who : List.of("anonymous", "expired", "forged")) {
                attempts.add(new Attempt(who, route[0], route[1], body, Set.of(401)));
            }
            if (route[0].equals("DELETE") && (route[1].endsWith("/follow") || route[1].endsWith("/like"))) {
                // Unfollow and unlike are idempotent: one who has no profile has no follow or like to remove,
                // and is told so (200, changed/liked false); the snapshot shows nothing changed.
                attempts.add(new Attempt("ghost", route[0], route[1], body, Set.of(200, 403, 404)));
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
