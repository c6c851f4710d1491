package dev.glint.local;

import dev.glint.local.ApiClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-user write limits end to end: one client's burst is refused with 429 and leaves everyone else's writes alone. */
class WriteLimitIT {

    /** A burst of 3, then one write every 100 s: the test never waits long enough to earn a token back. */
    private static final int BURST = 3;

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withWriteLimits(0.01, BURST));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    @Test
    void writesPastTheBurstAre429WithRetryAfterAndChangeNothingWhileOtherUsersWriteOn() throws Exception {
        String greedy = "greedy_" + UUID.randomUUID().toString().substring(0, 6);
        String polite = "polite_" + UUID.randomUUID().toString().substring(0, 6);
        api.signUp(greedy, greedy);
        for (int i = 1; i < BURST; i++) {
            assertEquals(200, api.json("PUT", greedy, "/v1/me", Map.of("displayName", "write " + i)).status());
        }

        Reply refused = api.json("PUT", greedy, "/v1/me", Map.of("displayName", "one too many"));
        assertEquals(429, refused.status(), refused.body());
        assertEquals("rate_limited", refused.errorCode());
        long retryAfter = Long.parseLong(refused.raw().headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
        // Every write route takes from the same bucket.
        assertEquals(429, api.json("POST", greedy, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", 10)).status());
        assertEquals(429, api.send("POST", "/v1/users/" + greedy + "/follow", greedy, null, null).status());

        // The refused write changed nothing; reads still work.
        Reply me = api.get(greedy, "/v1/me");
        assertEquals(200, me.status());
        assertEquals("write " + (BURST - 1), me.json().path("displayName").asText());

        // Another user's bucket is full.
        api.signUp(polite, polite);
        assertEquals(200, api.json("PUT", polite, "/v1/me", Map.of("displayName", "still fine")).status());
        assertEquals(200, api.send("POST", "/v1/users/" + greedy + "/follow", polite, null, null).status());
        // Follower counts are kept by the stream processor: they settle a moment later.
        ApiClient.await(() -> api.get(greedy, "/v1/me").json().path("followers").asInt() == 1);
    }
}
