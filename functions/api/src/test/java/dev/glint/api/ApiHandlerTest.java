package dev.glint.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.testing.SampleEvents;
import dev.glint.shared.account.InMemoryErasureLedger;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.health.HealthProbe;
import dev.glint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiHandlerTest {

    private static HealthProbe probe(String name, boolean healthy) {
        return new HealthProbe() {
            @Override
            public String component() {
                return name;
            }

            @Override
            public Result check() {
                return new Result(healthy, 3, healthy ? "ACTIVE" : "unreachable");
            }
        };
    }

    /** A handler whose social routes have no stores: enough for routes that never reach them. */
    static ApiHandler handler(HealthProbe... probes) {
        return new ApiHandler(composition(List.of(probes), null, new RateLimiter(RateLimiter.Limits.WRITES)));
    }

    /** A deployed stage's configuration: AWS's own endpoints, the stage's buckets. */
    static final GlintConfig DEPLOYED = new GlintConfig("eu-west-1", "glint-beta", "glint-beta-uploads-1a2b3c",
            "glint-beta-media-4d5e6f", "https://sqs.eu-west-1.amazonaws.com/123456789012/glint-beta-media",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/glint-beta-fanout", GlintConfig.Endpoints.aws(),
            GlintConfig.DEFAULT_CELEBRITY_THRESHOLD);

    /** A composition with no stores: enough for the routes that never reach them (and the experiment routes). */
    static ApiComposition composition(List<HealthProbe> probes, dev.glint.shared.experiments.Experiments experiments,
                                      RateLimiter limiter) {
        return composition(probes, experiments, limiter, WebOrigins.of(DEPLOYED));
    }

    /** The same, with the web client's origins from another configuration. */
    static ApiComposition composition(List<HealthProbe> probes, dev.glint.shared.experiments.Experiments experiments,
                                      RateLimiter limiter, WebOrigins webOrigins) {
        return composition(probes, experiments, limiter, webOrigins, WebConfig.none());
    }

    /** The same, with what the page's /config.json says. */
    static ApiComposition composition(List<HealthProbe> probes, dev.glint.shared.experiments.Experiments experiments,
                                      RateLimiter limiter, WebOrigins webOrigins, WebConfig web) {
        return new ApiComposition(null, null, null, null, null, null, null, null, null, experiments, probes,
                new Cursors(new byte[32]), key -> key, limiter, new RateLimiter(RateLimiter.Limits.READS), webOrigins, null,
                new InMemoryIdempotencyStore(), web, null, null, null, null, accountDeletion(),
                dev.glint.shared.experiments.RequestGuardrails.none(), null);
    }

    /** Tombstones in memory; no erasure runs (its messages go nowhere). */
    static dev.glint.shared.account.AccountDeletion accountDeletion() {
        return new dev.glint.shared.account.AccountDeletion(new InMemoryErasureLedger(), message -> { },
                "sign-in", java.time.Clock.systemUTC());
    }

    private static APIGatewayV2HTTPResponse call(ApiHandler handler, String eventFile) {
        return handler.handleRequest(SampleEvents.load(eventFile, APIGatewayV2HTTPEvent.class), LocalContext.forTest("api"));
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.readTree(response.getBody());
    }

    @Test
    void healthReportsEachComponent() throws Exception {
        var handler = handler(probe("table", true), probe("media-queue", true));

        APIGatewayV2HTTPResponse response = call(handler, "api/health.json");

        assertEquals(200, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals("ok", body.path("status").asText());
        assertEquals("ok", body.path("components").path("table").path("status").asText());
        assertEquals("ok", body.path("components").path("media-queue").path("status").asText());
        assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", response.getHeaders().get("x-request-id"));
        assertEquals("7", response.getHeaders().get("x-glint-version"));
        assertEquals("no-store", response.getHeaders().get("cache-control"));
    }

    @Test
    void healthIs503WhenAComponentIsDown() throws Exception {
        var handler = handler(probe("table", true), probe("media-bucket", false));

        APIGatewayV2HTTPResponse response = call(handler, "api/health.json");

        assertEquals(503, response.getStatusCode());
        assertEquals("degraded", body(response).path("status").asText());
        assertEquals("down", body(response).path("components").path("media-bucket").path("status").asText());
    }

    @Test
    void unknownRouteIsA404JsonErrorThatNamesTheRoute() throws Exception {
        APIGatewayV2HTTPResponse response = call(ApiHandlerTest.handler(), "api/unknown-route.json");

        assertEquals(404, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("content-type"));
        JsonNode error = body(response).path("error");
        assertEquals("route_not_found", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("GET /v1/no-such-thing"), error.toString());
        assertEquals("d1f0b2aa-7b61-11e6-9a41-93e8deadbeef", response.getHeaders().get("x-request-id"));
    }

    @Test
    void headIsAnsweredWithTheGetsStatusAndHeadersAndNoBody() {
        var handler = handler(probe("table", true));
        APIGatewayV2HTTPResponse get = call(handler, "api/health.json");
        APIGatewayV2HTTPEvent event = SampleEvents.load("api/health.json", APIGatewayV2HTTPEvent.class);
        event.getRequestContext().getHttp().setMethod("HEAD");

        APIGatewayV2HTTPResponse head = handler.handleRequest(event, LocalContext.forTest("api"));

        assertEquals(200, head.getStatusCode());
        assertEquals("", head.getBody());
        assertFalse(get.getBody().isEmpty());
        assertEquals(get.getHeaders(), head.getHeaders());
    }

    @Test
    void wrongMethodIsA405WithTheAllowedMethods() throws Exception {
        APIGatewayV2HTTPResponse response = call(ApiHandlerTest.handler(), "api/health-wrong-method.json");

        assertEquals(405, response.getStatusCode());
        assertEquals("GET, HEAD", response.getHeaders().get("allow"));
        assertEquals("method_not_allowed", body(response).path("error").path("code").asText());
    }

    /** A probe of the table that throws with the message. */
    private static HealthProbe exploding(String message) {
        return new HealthProbe() {
            @Override
            public String component() {
                return "table";
            }

            @Override
            public Result check() {
                throw new IllegalStateException(message);
            }
        };
    }

    @Test
    void anUnexpectedFailureIsA500ThatLeaksNoDetailButQuotesTheRequestId() throws Exception {
        HealthProbe exploding = exploding("jdbc:secret-connection-string");

        APIGatewayV2HTTPResponse response = call(handler(exploding), "api/health.json");

        assertEquals(500, response.getStatusCode());
        assertFalse(response.getBody().contains("secret"), response.getBody());
        assertEquals("internal", body(response).path("error").path("code").asText());
        assertTrue(body(response).path("error").path("message").asText().contains("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
    }

    @Test
    void writesBeyondTheCallersBurstAre429WithRetryAfterBeforeAnyRouteRuns() throws Exception {
        var limiter = new RateLimiter(new RateLimiter.Limits(0.5, 2), () -> 0L);
        var handler = new ApiHandler(composition(List.of(), null, limiter));

        assertEquals(404, call(handler, "api/write-by-signed-in-user.json").getStatusCode());
        assertEquals(404, call(handler, "api/write-by-signed-in-user.json").getStatusCode());
        APIGatewayV2HTTPResponse limited = call(handler, "api/write-by-signed-in-user.json");

        assertEquals(429, limited.getStatusCode());
        assertEquals("2", limited.getHeaders().get("retry-after"));
        assertEquals("rate_limited", body(limited).path("error").path("code").asText());
        assertFalse(body(limited).path("error").path("message").asText().isBlank());
        assertEquals("e2a1c3bb-7b61-11e6-9a41-93e8deadbeef", limited.getHeaders().get("x-request-id"));
        // Reads are not limited: the bucket is for writes.
        assertEquals(200, call(handler, "api/health.json").getStatusCode());
    }

    @Test
    void everyAnswerTellsBrowsersNotToSniffItsType() throws Exception {
        var experiments = new Experiments(dev.glint.shared.experiments.ExperimentConfig.shipped(), null,
                java.time.Clock.fixed(java.time.Instant.parse("2026-11-22T10:00:00Z"), java.time.ZoneOffset.UTC));
        var handler = new ApiHandler(composition(List.of(probe("table", true)), experiments,
                new RateLimiter(new RateLimiter.Limits(0.5, 1), () -> 0L)));
        HealthProbe exploding = exploding("boom");
        APIGatewayV2HTTPEvent list = SampleEvents.load("api/experiment-results.json", APIGatewayV2HTTPEvent.class);
        list.setRawPath("/v1/experiments");
        list.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[product]");
        APIGatewayV2HTTPResponse listed = handler.handleRequest(list, LocalContext.forTest("api"));
        APIGatewayV2HTTPEvent revalidated = SampleEvents.load("api/experiment-results.json", APIGatewayV2HTTPEvent.class);
        revalidated.setRawPath("/v1/experiments");
        revalidated.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[product]");
        revalidated.getHeaders().put("if-none-match", listed.getHeaders().get("etag"));
        APIGatewayV2HTTPEvent anonymous = SampleEvents.load("api/get-me.json", APIGatewayV2HTTPEvent.class);
        anonymous.getRequestContext().setAuthorizer(null);
        call(handler, "api/write-by-signed-in-user.json");

        java.util.Map<Integer, APIGatewayV2HTTPResponse> answers = new java.util.TreeMap<>();
        answers.put(200, call(handler, "api/health.json"));
        answers.put(304, handler.handleRequest(revalidated, LocalContext.forTest("api")));
        answers.put(401, handler.handleRequest(anonymous, LocalContext.forTest("api")));
        answers.put(404, call(handler, "api/unknown-route.json"));
        answers.put(405, call(handler, "api/health-wrong-method.json"));
        answers.put(429, call(handler, "api/write-by-signed-in-user.json"));
        answers.put(500, call(handler(exploding), "api/health.json"));

        answers.forEach((status, response) -> {
            assertEquals(status, response.getStatusCode(), response.getBody());
            assertEquals("nosniff", response.getHeaders().get("x-content-type-options"), status + ": " + response.getHeaders());
        });
    }

    @Test
    void malformedLimitsStopTheFunctionAtInit() {
        assertEquals(ApiLimits.DEFAULTS, ApiLimits.fromEnv(java.util.Map.of()));
        assertEquals(ApiLimits.DEFAULTS.withWrites(2.5, 7).withReads(40, 200).withDaily(5, 9), ApiLimits.fromEnv(java.util.Map.of(
                ApiLimits.ENV_WRITE_RATE, "2.5", ApiLimits.ENV_WRITE_BURST, "7", ApiLimits.ENV_READ_RATE, "40",
                ApiLimits.ENV_READ_BURST, "200", ApiLimits.ENV_DAILY_POSTS, "5", ApiLimits.ENV_DAILY_UPLOADS, "9")));
        for (var bad : java.util.List.of(java.util.Map.of(ApiLimits.ENV_WRITE_BURST, "lots"), java.util.Map.of(ApiLimits.ENV_WRITE_RATE, "-1"),
                java.util.Map.of(ApiLimits.ENV_READ_BURST, "0"), java.util.Map.of(ApiLimits.ENV_DAILY_POSTS, "1.5"))) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.glint.shared.config.GlintConfig.ConfigurationException.class,
                    () -> ApiLimits.fromEnv(bad), bad.toString());
        }
    }

    @Test
    void readsBeyondTheCallersBurstAre429BeforeAnyRouteRuns() throws Exception {
        var reads = new RateLimiter(new RateLimiter.Limits(0.5, 1), () -> 0L);
        var handler = new ApiHandler(new ApiComposition(null, null, null, null, null, null, null, null, null, null,
                List.of(), new Cursors(new byte[32]), key -> key, new RateLimiter(RateLimiter.Limits.WRITES), reads,
                WebOrigins.of(DEPLOYED), null, new InMemoryIdempotencyStore(), WebConfig.none(), null, null, null, null, accountDeletion(),
                dev.glint.shared.experiments.RequestGuardrails.none(), null));

        call(handler, "api/get-me.json");
        APIGatewayV2HTTPResponse limited = call(handler, "api/get-me.json");

        assertEquals(429, limited.getStatusCode());
        assertEquals("2", limited.getHeaders().get("retry-after"));
        assertTrue(body(limited).path("error").path("message").asText().startsWith("Too many reads"));
    }

    @Test
    void writesWithTheTokenOfADeletedAccountAre401BeforeAnyRouteRunsAndOthersAreNot() throws Exception {
        InMemoryErasureLedger ledger = new InMemoryErasureLedger();
        var deletion = new dev.glint.shared.account.AccountDeletion(ledger, message -> { }, "sign-in", java.time.Clock.systemUTC());
        var handler = new ApiHandler(new ApiComposition(null, null, null, null, null, null, null, null, null, null,
                List.of(), new Cursors(new byte[32]), key -> key, new RateLimiter(RateLimiter.Limits.WRITES),
                new RateLimiter(RateLimiter.Limits.READS), WebOrigins.of(DEPLOYED), null, new InMemoryIdempotencyStore(),
                WebConfig.none(), null, null, null, null, deletion, dev.glint.shared.experiments.RequestGuardrails.none(), null));
        assertEquals(404, call(handler, "api/write-by-signed-in-user.json").getStatusCode(), "not deleted: routed as usual");

        ledger.start("5f0c6e2a-8a4f-4f43-9c1e-2b7f3f1d9a10", java.time.Instant.now());
        APIGatewayV2HTTPResponse refused = call(handler, "api/write-by-signed-in-user.json");

        assertEquals(401, refused.getStatusCode());
        assertEquals("account_deleted", body(refused).path("error").path("code").asText());
        APIGatewayV2HTTPEvent read = SampleEvents.load("api/unknown-route.json", APIGatewayV2HTTPEvent.class);
        read.getRequestContext().getAuthorizer().getJwt().getClaims().put("sub", "5f0c6e2a-8a4f-4f43-9c1e-2b7f3f1d9a10");
        assertEquals(404, handler.handleRequest(read, LocalContext.forTest("api")).getStatusCode(),
                "a read is not refused: it finds nothing of the account");
    }
}
