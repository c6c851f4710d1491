package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static dev.glint.local.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The artifact that deploys is the artifact that is tested: the dev stage's synthesized template runs
 * in template mode (its resources, environments, event sources, routes, authorizer and IAM roles), and
 * the main journeys pass through it as through the default mode, with no call of any function denied.
 * Every other integration test runs in template mode too with {@code -Dglint.template=<template or cdk.out>}.
 */
class TemplateJourneyIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1)
            .withTemplate(DevTemplate.configured()));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    private static JsonNode today(String analyst) {
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        return api.get(analyst, "/v1/reports/daily?from=" + day + "&to=" + day).json().path("days").path(0);
    }

    private static long experimentTotal(String analyst, String field) {
        JsonNode results = api.get(analyst, "/v1/experiments/feed-ranking/results").json();
        long total = 0;
        for (JsonNode variant : results.path("metrics").path(0).path("variants")) {
            total += variant.path(field).asLong();
        }
        return total;
    }

    @SuppressWarnings("unchecked")
    private static java.util.Set<String> calls(Map<String, Object> report, String function) {
        return ((Map<String, Object>) ((Map<String, Object>) report.get(function)).get("calls")).keySet();
    }

    @Test
    void signUpPostFollowFeedLikeCommentNotificationsReportsAndExperimentsRunOnTheTemplate() throws Exception {
        assertTrue(stack.iamLedger().isPresent(), "the stack runs in template mode");
        assertEquals(200, api.get(null, "/health").status(), "a public route of the template needs no token");
        assertEquals(401, api.send("GET", "/v1/me", null, null, null).status(), "the $default route has the JWT authorizer");

        String author = api.newUser("author");
        String fan = api.newUser("fan");
        String analyst = "analyst" + UUID.randomUUID().toString().substring(0, 6);
        api.tokenWithGroups(analyst, "product");
        int follow = api.send("POST", "/v1/users/" + author + "/follow", fan, null, null).status();
        assertTrue(follow / 100 == 2, "follow answered " + follow);
        assertEquals(200, api.get(fan, "/v1/feed").status(), "a first feed page exposes the fan to feed-ranking");

        String tag = "tmpl" + UUID.randomUUID().toString().substring(0, 6);
        String postId = api.readyPost(author, "from the template #" + tag);
        await(() -> api.get(fan, "/v1/feed").json().path("items").toString().contains(postId));

        assertEquals(200, api.send("PUT", "/v1/posts/" + postId + "/like", fan, null, null).status());
        assertTrue(api.get(fan, "/v1/posts/" + postId).json().path("likedByMe").asBoolean(), "the fan's like shows at once");
        // An album of two, processed photo by photo and edited by its author, under the template's roles too.
        String one = api.upload(author, dev.glint.shared.media.TestImages.jpeg(320, 240), "image/jpeg");
        String two = api.upload(author, dev.glint.shared.media.TestImages.jpeg(240, 320), "image/jpeg");
        ApiClient.Reply album = api.json("POST", author, "/v1/posts", Map.of("photos",
                java.util.List.of(Map.of("uploadId", one, "altText", "one"), Map.of("uploadId", two))));
        assertEquals(201, album.status(), album.body());
        String albumId = album.json().path("id").asText();
        await(() -> "ready".equals(api.get(author, "/v1/posts/" + albumId).json().path("status").asText()));
        ApiClient.Reply edited = api.json("PATCH", author, "/v1/posts/" + albumId, Map.of("caption", "two",
                "photos", java.util.List.of(Map.of(), Map.of("altText", "two, described"))));
        assertEquals(200, edited.status(), edited.body());
        assertEquals("two, described", edited.json().path("photos").get(1).path("altText").asText());
        assertEquals(201, api.json("POST", fan, "/v1/posts/" + postId + "/comments", Map.of("text", "seen locally")).status());
        await(() -> {
            JsonNode post = api.get(author, "/v1/posts/" + postId).json();
            return post.path("likes").asLong() == 1 && post.path("comments").asLong() == 1;
        });
        await(() -> api.get(author, "/v1/notifications").json().path("items").size() >= 3);
        await(() -> api.get(author, "/v1/tags/" + tag + "/posts").json().path("items").size() == 1);

        await(() -> today(analyst).path("likes").asLong() >= 1 && today(analyst).path("comments").asLong() >= 1
                && today(analyst).path("posts").asLong() >= 1);
        await(() -> experimentTotal(analyst, "exposures") >= 1 && experimentTotal(analyst, "conversions") >= 1);

        // Blocks and mutes under the template's roles: the block's transaction removes the fan's follow.
        assertEquals(200, api.send("PUT", "/v1/users/" + fan + "/block", author, null, null).status());
        assertEquals(404, api.get(fan, "/v1/users/" + author).status(), "to the blocked, the blocker is no user");
        assertEquals(1, api.get(author, "/v1/me/blocks").json().path("items").size());
        assertEquals(200, api.send("DELETE", "/v1/users/" + fan + "/block", author, null, null).status());
        assertEquals(200, api.send("PUT", "/v1/users/" + fan + "/mute", author, null, null).status());
        assertEquals(200, api.get(author, "/v1/notifications").status());

        var ledger = stack.iamLedger().orElseThrow();
        // The grants the journeys used and the ones they did not, for the README's figures.
        ledger.write(Path.of("target/iam-report-template-journey.json"));
        Map<String, Object> report = ledger.report();
        assertTrue(calls(report, "media-worker").stream().anyMatch(c -> c.startsWith("sqs:ReceiveMessage ")),
                "the media queue is read with the media worker's role: " + calls(report, "media-worker"));
        assertTrue(calls(report, "stream-processor").stream().anyMatch(c -> c.startsWith("dynamodb:GetRecords ")),
                "the stream is read with the stream processor's role: " + calls(report, "stream-processor"));
        for (var function : GlintResources.FUNCTIONS) {
            assertEquals(Map.of(), ledger.deniedCalls(function.name()), function.name() + " was denied nothing");
        }
    }
}
