package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Seeds a fresh local stack with a few users, follows, photo posts, likes and comments, through
 * the public API (the same path a client takes), so a developer has something to look at. Seeding
 * a stack that already has the demo users changes nothing.
 */
final class DemoData {

    static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> tokens = new LinkedHashMap<>();

    private DemoData(URI api) {
        this.api = api;
    }

    /** @return true if it seeded, false if the demo users were already there */
    static boolean seed(URI api) {
        return new DemoData(api).seed();
    }

    private boolean seed() {
        if (call("GET", "/v1/me", "alice", null).statusCode() == 200) {
            return false;
        }
        Map<String, String> bios = Map.of(
                "alice", "Bridges, mostly.", "bob", "Coffee and cameras.", "carol", "Mountains on weekends.",
                "dave", "Here for the sunsets.");
        for (String user : USERS) {
            expect(call("PUT", "/v1/me", user, Map.of("handle", user,
                    "displayName", Character.toUpperCase(user.charAt(0)) + user.substring(1), "bio", bios.get(user))), 200);
        }
        for (List<String> follow : List.of(List.of("bob", "alice"), List.of("carol", "alice"), List.of("dave", "alice"),
                List.of("alice", "bob"), List.of("carol", "bob"), List.of("alice", "carol"))) {
            expect(call("POST", "/v1/users/" + follow.get(1) + "/follow", follow.get(0), null), 200);
        }
        String bridge = post("alice", "Golden hour on the old bridge #bridges #sunset", new Color(255, 170, 60), new Color(60, 40, 120));
        String coffee = post("bob", "Morning flat white #coffee", new Color(120, 80, 50), new Color(240, 230, 210));
        post("carol", "Above the clouds #mountains", new Color(200, 220, 255), new Color(40, 90, 160));
        // An album of three, each photo described, the first cropped around its sun (the bright disc at 850, 300).
        expect(call("POST", "/v1/posts", "dave", Map.of("caption", "Three evenings at the pier #sunset", "photos", List.of(
                Map.of("uploadId", upload("dave", new Color(255, 120, 40), new Color(90, 30, 110)),
                        "altText", "An orange sky fading to deep purple over the sea, a pale sun high on the right",
                        "focalPoint", Map.of("x", 0.42, "y", 0.33)),
                Map.of("uploadId", upload("dave", new Color(250, 200, 120), new Color(30, 60, 120)),
                        "altText", "A golden haze above dark blue water, the sun a soft white disc"),
                Map.of("uploadId", upload("dave", new Color(230, 90, 90), new Color(20, 20, 60)),
                        "altText", "Red clouds over a nearly black sea just after sunset")))), 201);
        for (String user : List.of("bob", "carol", "dave")) {
            expect(call("PUT", "/v1/posts/" + bridge + "/like", user, null), 200);
        }
        expect(call("PUT", "/v1/posts/" + coffee + "/like", "alice", null), 200);
        expect(call("POST", "/v1/posts/" + bridge + "/comments", "bob", Map.of("text", "That light!")), 201);
        expect(call("POST", "/v1/posts/" + bridge + "/comments", "carol", Map.of("text", "Where is this?")), 201);
        expect(call("POST", "/v1/posts/" + bridge + "/comments", "alice", Map.of("text", "Porto, at 7pm.")), 201);
        return true;
    }

    private String post(String user, String caption, Color from, Color to) {
        return expect(call("POST", "/v1/posts", user, Map.of("uploadId", upload(user, from, to), "caption", caption)), 201)
                .path("id").asText();
    }

    /** A demo photo uploaded through a presigned URL; returns the upload id. */
    private String upload(String user, Color from, Color to) {
        byte[] jpeg = photo(from, to);
        JsonNode upload = expect(call("POST", "/v1/uploads", user,
                Map.of("contentType", "image/jpeg", "contentLength", jpeg.length)), 201);
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .method(upload.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(jpeg));
        upload.path("headers").fields().forEachRemaining(header -> {
            if (!Set.of("content-length", "host").contains(header.getKey().toLowerCase())) {
                put.header(header.getKey(), header.getValue().asText());
            }
        });
        int status = send(put.build()).statusCode();
        if (status != 200) {
            throw new IllegalStateException("demo upload for " + user + " answered " + status);
        }
        return upload.path("uploadId").asText();
    }

    /** A 1200×900 JPEG with a gradient: a real photo-sized image for the media pipeline to resize. */
    static byte[] photo(Color from, Color to) {
        BufferedImage image = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, from, 1200, 900, to));
        g.fillRect(0, 0, 1200, 900);
        g.setColor(new Color(255, 255, 255, 90));
        g.fillOval(700, 150, 300, 300);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private HttpResponse<String> call(String method, String path, String user, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token(user))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return send(request.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String token(String user) {
        return tokens.computeIfAbsent(user, name -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(api.resolve("/v1/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\"}")).build());
            return read(response).path("token").asText();
        });
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding demo data", e);
        }
    }

    private static JsonNode expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("demo data: " + response.request().method() + " " + response.request().uri().getPath()
                    + " answered " + response.statusCode() + " " + response.body());
        }
        return read(response);
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
