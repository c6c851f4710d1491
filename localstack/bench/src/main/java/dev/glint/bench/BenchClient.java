package dev.glint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** The benchmarks' HTTP client for the local gateway: tokens from the local issuer, JSON in and out. */
final class BenchClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    BenchClient(URI base, int threads) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, threads / 4), runnable -> {
                    Thread thread = new Thread(runnable, "bench-http");
                    thread.setDaemon(true);
                    return thread;
                })).build();
    }

    /** A response: status, parsed JSON body (or null), its ETag (or null). */
    record Reply(int status, JsonNode json, String body, String etag) {
    }

    String token(String username) {
        return tokens.computeIfAbsent(username, name -> {
            Reply reply = send("POST", "/v1/dev/token", null, "{\"username\":\"" + name + "\"}");
            if (reply.status() != 200) {
                throw new IllegalStateException("no token for " + name + ": " + reply.body());
            }
            return reply.json().path("token").asText();
        });
    }

    /** A token whose claims carry a verified email (the digest needs one); later requests of the user use it. */
    void tokenWithEmail(String username, String email) {
        Reply reply = json("POST", null, "/v1/dev/token", Map.of("username", username, "email", email));
        if (reply.status() != 200) {
            throw new IllegalStateException("no token for " + username + ": " + reply.body());
        }
        tokens.put(username, reply.json().path("token").asText());
    }

    Reply get(String user, String path) {
        return send("GET", path, user, null);
    }

    Reply json(String method, String user, String path, Object body) {
        try {
            return send(method, path, user, body == null ? null : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A GET that revalidates what the client holds: {@code If-None-Match} with the ETag, when there is one. */
    Reply revalidate(String user, String path, String etag) {
        return send("GET", path, user, null, etag);
    }

    Reply send(String method, String path, String user, String body) {
        return send(method, path, user, body, null);
    }

    private Reply send(String method, String path, String user, String body, String ifNoneMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String text = response.body();
            if (text != null && !text.isEmpty() && response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
                json = JSON.readTree(text);
            }
            return new Reply(response.statusCode(), json, text, response.headers().firstValue("etag").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates the user's profile with the handle; returns the user id. */
    String signUp(String username) {
        Reply reply = json("PUT", username, "/v1/me", Map.of("handle", username));
        if (reply.status() != 200) {
            throw new IllegalStateException("sign-up of " + username + " failed: " + reply.status() + " " + reply.body());
        }
        return reply.json().path("id").asText();
    }

    /** Asks for a presigned upload; the JSON answer, or an exception naming the status. */
    Reply presign(String user, int length) {
        return json("POST", user, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", length));
    }

    /**
     * PUTs the bytes to a presigned upload and returns the status. A 5xx is retried (at most twice) as
     * S3 clients do; see the README on S3Proxy's race with deletes under one prefix.
     */
    int putBlob(JsonNode presigned, byte[] bytes, Runnable onRetry) {
        int status = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) {
                onRetry.run();
            }
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.path("url").asText()))
                    .timeout(Duration.ofSeconds(30))
                    .method(presigned.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(bytes));
            presigned.path("headers").fields().forEachRemaining(h -> {
                if (!Set.of("content-length", "host").contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    put.header(h.getKey(), h.getValue().asText());
                }
            });
            try {
                status = http.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                throw new IllegalStateException("presigned PUT: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (status < 500) {
                return status;
            }
        }
        return status;
    }
}
