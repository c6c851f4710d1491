package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.media.TestImages;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test's HTTP client for the local gateway: tokens from the local issuer, JSON in and out. Every
 * exchange is checked against {@code openapi.yaml} ({@link OpenApiContract}).
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    ApiClient(URI base) {
        this.base = base;
    }

    /** A response: status, parsed JSON body (or null) and headers. */
    record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        /** A field of each of {@code items}, by a dotted path ({@code "author.handle"}), as text. */
        List<String> items(String path) {
            List<String> out = new ArrayList<>();
            json.path("items").forEach(item -> {
                JsonNode node = item;
                for (String part : path.split("\\.")) {
                    node = node.path(part);
                }
                out.add(node.asText());
            });
            return out;
        }
    }

    String token(String username) {
        return tokens.computeIfAbsent(username, name -> {
            Reply reply = send("POST", "/v1/dev/token", null, "{\"username\":\"" + name + "\"}", "application/json");
            if (reply.status() != 200) {
                throw new AssertionError("no token for " + name + ": " + reply.body());
            }
            return reply.json().path("token").asText();
        });
    }

    /** Gets a token for a user in Cognito-style groups (e.g. "product"). */
    void tokenWithGroups(String username, String... groups) {
        try {
            Reply reply = send("POST", "/v1/dev/token", null,
                    JSON.writeValueAsString(Map.of("username", username, "groups", java.util.List.of(groups))), "application/json");
            tokens.put(username, reply.json().path("token").asText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gets a token whose verified email claim is the address (as Cognito's ID tokens carry it). */
    void tokenWithEmail(String username, String email) {
        try {
            Reply reply = send("POST", "/v1/dev/token", null,
                    JSON.writeValueAsString(Map.of("username", username, "email", email)), "application/json");
            if (reply.status() != 200) {
                throw new AssertionError("no token for " + username + ": " + reply.body());
            }
            tokens.put(username, reply.json().path("token").asText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Reply get(String user, String path) {
        return send("GET", path, user, null, null);
    }

    Reply delete(String user, String path) {
        return send("DELETE", path, user, null, null);
    }

    Reply json(String method, String user, String path, Object body) {
        try {
            return send(method, path, user, JSON.writeValueAsString(body), "application/json");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Reply send(String method, String path, String user, String body, String contentType) {
        return sendBytes(method, path, user, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
    }

    Reply getWith(String user, String path, Map<String, String> headers) {
        return sendBytes("GET", path, user, null, null, headers);
    }

    Reply sendBytes(String method, String path, String user, byte[] body, String contentType) {
        return sendBytes(method, path, user, body, contentType, Map.of());
    }

    Reply sendBytes(String method, String path, String user, byte[] body, String contentType, Map<String, String> headers) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> sent = new java.util.LinkedHashMap<>();
        if (user != null) {
            sent.put("Authorization", "Bearer " + token(user));
        }
        if (contentType != null) {
            sent.put("Content-Type", contentType);
        }
        sent.putAll(headers);
        sent.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            // Every exchange is held to openapi.yaml: a drift fails the test that made it.
            OpenApiContract.check(method, uri, sent, body, response);
            JsonNode json = null;
            if (response.body() != null && !response.body().isEmpty()
                    && response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), json, response.body(), response);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Uploads the bytes through a presigned URL (declared as {@code contentType}); returns the upload id. */
    String upload(String user, byte[] bytes, String contentType) {
        Reply upload = json("POST", user, "/v1/uploads", Map.of("contentType", contentType, "contentLength", bytes.length));
        if (upload.status() != 201) {
            throw new AssertionError("no upload for " + user + ": " + upload.body());
        }
        int status = putBlob(upload.json(), bytes, contentType);
        if (status != 200) {
            throw new AssertionError("the presigned PUT answered " + status);
        }
        return upload.json().path("uploadId").asText();
    }

    /** PUTs the bytes to a presigned upload, with its signed headers but the given content type. */
    int putBlob(JsonNode presigned, byte[] bytes, String contentType) {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.path("url").asText()))
                .method(presigned.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        presigned.path("headers").fields().forEachRemaining(h -> {
            if (!java.util.Set.of("content-length", "host").contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                put.header(h.getKey(), h.getKey().equalsIgnoreCase("content-type") ? contentType : h.getValue().asText());
            }
        });
        try {
            return HTTP.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a post from an upload; returns the post id. */
    String post(String user, String uploadId, String caption) {
        Reply post = json("POST", user, "/v1/posts", Map.of("uploadId", uploadId, "caption", caption));
        if (post.status() != 201) {
            throw new AssertionError("no post for " + user + ": " + post.body());
        }
        return post.json().path("id").asText();
    }

    /** The post once the media worker has settled it (ready or failed), as its author sees it; fails after the time given. */
    JsonNode settled(String user, String postId, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode post = get(user, "/v1/posts/" + postId).json();
            if (!post.path("status").asText().equals("processing")) {
                return post;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("post " + postId + " is still processing");
    }

    /** Posts a real photo and waits until the media worker has made it ready; returns the post id. */
    String readyPost(String user, String caption) throws InterruptedException {
        String postId = post(user, upload(user, dev.glint.shared.media.TestImages.jpeg(320, 240), "image/jpeg"), caption);
        await(() -> "ready".equals(get(user, "/v1/posts/" + postId).json().path("status").asText()));
        return postId;
    }

    /** What one simulated user does in a test; may throw. */
    interface UserTask {
        void run(String user) throws Exception;
    }

    /** Runs the task for every user at once on {@code threads} threads; the first failure fails the caller. */
    static void forEachUser(List<String> users, int threads, UserTask task) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (String user : users) {
                futures.add(pool.submit(() -> {
                    task.run(user);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits up to 30 s for a condition that the stack's background work makes true. */
    static void await(java.util.function.Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(150);
        }
    }

    /** A new user with a profile, named (and handled) by the prefix and a random suffix; returns the name. */
    String newUser(String prefix) {
        String name = prefix + java.util.UUID.randomUUID().toString().substring(0, 6);
        signUp(name, name);
        return name;
    }

    /** Creates the user's profile with the handle; returns the user id. */
    String signUp(String username, String handle) {
        Reply reply = json("PUT", username, "/v1/me", Map.of("handle", handle));
        if (reply.status() != 200) {
            throw new AssertionError("sign-up of " + username + " failed: " + reply.body());
        }
        return reply.json().path("id").asText();
    }

    /**
     * The DynamoDB requests of a request counter's snapshot: a function's other clients (its AppConfig
     * poller, every second locally) may call between the requests a test measures.
     */
    static Map<String, Long> dynamoDbOnly(Map<String, Long> requests) {
        Map<String, Long> out = new java.util.TreeMap<>();
        requests.forEach((call, count) -> {
            if (call.startsWith("DynamoDb.")) {
                out.put(call, count);
            }
        });
        return out;
    }
}
