package dev.glint.local;

import dev.glint.local.ApiClient.Reply;
import dev.glint.shared.media.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads past a user's burst, and uploads and posts past a user's day, are 429s that change nothing. */
class UsageLimitsIT {

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withReadLimits(0.2, 5).withDailyQuotas(2, 3));
    @StackExtension.Inject
    private static EmbeddedStack stack;
    @StackExtension.Inject
    private static ApiClient api;

    @Test
    void readsPastTheBurstAre429ForThatUserAlone() {
        String reader = api.newUser("greedy");
        String other = api.newUser("calm");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(api.get(reader, "/v1/me").status());
        }

        assertEquals(List.of(200, 200, 200, 200, 200, 429, 429), statuses);
        Reply limited = api.get(reader, "/v1/me");
        assertEquals("rate_limited", limited.errorCode());
        assertTrue(limited.raw().headers().firstValue("retry-after").isPresent());
        assertEquals(200, api.get(other, "/v1/me").status(), "other users read on");
    }

    @Test
    void uploadsAndPostsPastTheDailyQuotaAre429UntilMidnightAndMakeNothing() throws Exception {
        String user = api.newUser("busy");
        byte[] photo = TestImages.jpeg(48, 32);
        List<String> uploads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            uploads.add(api.upload(user, photo, "image/jpeg"));
        }
        Reply fourth = api.json("POST", user, "/v1/uploads", Map.of("contentType", "image/jpeg", "contentLength", photo.length));
        assertEquals(429, fourth.status(), fourth.body());
        assertEquals("quota_exceeded", fourth.errorCode());
        long retryAfter = Long.parseLong(fourth.raw().headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "until midnight UTC: " + retryAfter);

        api.post(user, uploads.get(0), "one");
        api.post(user, uploads.get(1), "two");
        var before = StackSnapshot.quiet(stack);
        Reply third = api.json("POST", user, "/v1/posts", Map.of("uploadId", uploads.get(2), "caption", "three"));
        assertEquals(429, third.status(), third.body());
        assertEquals("quota_exceeded", third.errorCode());
        var after = StackSnapshot.quiet(stack);
        assertEquals(before.items().keySet().stream().filter(k -> k.startsWith("POST")).count(),
                after.items().keySet().stream().filter(k -> k.startsWith("POST")).count(), "no post was made");
    }
}
