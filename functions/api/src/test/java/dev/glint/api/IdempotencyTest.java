package dev.glint.api;

import dev.glint.shared.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyTest {

    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final Idempotency idempotency = new Idempotency(store, clock);
    private final AtomicInteger runs = new AtomicInteger();

    private static HttpRequest post(String user, String key, String body) {
        Map<String, String> headers = key == null ? Map.of() : Map.of("Idempotency-Key", key);
        return new HttpRequest("POST", "/v1/posts/p1/comments", Map.of(), Map.of(), headers,
                body.getBytes(StandardCharsets.UTF_8), user == null ? Map.of() : Map.of("sub", user), "r");
    }

    private Supplier<HttpResponse> answering(int status) {
        return () -> {
            runs.incrementAndGet();
            return HttpResponse.json(status, Map.of("run", runs.get()));
        };
    }

    @Test
    void theSameKeyAndRequestRunsOnceAndGetsTheFirstAnswerBack() {
        HttpResponse first = idempotency.apply(post("alice", "k1", "{\"text\":\"hi\"}"), answering(201));
        HttpResponse again = idempotency.apply(post("alice", "k1", "{\"text\":\"hi\"}"), answering(201));
        assertEquals(1, runs.get());
        assertEquals(201, again.status());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.headers().get(Idempotency.REPLAYED));
        assertTrue(!first.headers().containsKey(Idempotency.REPLAYED));
        // Another user's same key is theirs alone; no key runs every time.
        idempotency.apply(post("bob", "k1", "{\"text\":\"hi\"}"), answering(201));
        idempotency.apply(post("alice", null, "{\"text\":\"hi\"}"), answering(201));
        idempotency.apply(post("alice", null, "{\"text\":\"hi\"}"), answering(201));
        assertEquals(4, runs.get());
    }

    @Test
    void anotherRequestWithTheKeyIs422AndAKeyStillRunningIs409() {
        idempotency.apply(post("alice", "k1", "{\"text\":\"hi\"}"), answering(201));
        ApiException reused = assertThrows(ApiException.class,
                () -> idempotency.apply(post("alice", "k1", "{\"text\":\"bye\"}"), answering(201)));
        assertEquals(422, reused.status());
        assertEquals("idempotency_key_reused", reused.code());

        // While the first request runs, a retry is told to wait, and changes nothing.
        ApiException[] inside = new ApiException[1];
        idempotency.apply(post("alice", "k2", "{}"), () -> {
            inside[0] = assertThrows(ApiException.class, () -> idempotency.apply(post("alice", "k2", "{}"), answering(201)));
            return HttpResponse.json(201, Map.of());
        });
        assertEquals(409, inside[0].status());
        assertEquals(1, runs.get());
    }

    @Test
    void anAnswerNotFinishedOnOurSideIsNotKeptAndADeadRequestsLockIsTakenOver() {
        idempotency.apply(post("alice", "k1", "{}"), answering(503));
        idempotency.apply(post("alice", "k1", "{}"), answering(429));
        assertThrows(IllegalStateException.class, () -> idempotency.apply(post("alice", "k1", "{}"), () -> {
            throw new IllegalStateException("the table is down");
        }));
        assertEquals(201, idempotency.apply(post("alice", "k1", "{}"), answering(201)).status());
        assertEquals(3, runs.get());
        // A 4xx answer is the request's outcome: kept.
        idempotency.apply(post("alice", "k4", "{}"), answering(400));
        assertEquals(400, idempotency.apply(post("alice", "k4", "{}"), answering(201)).status());
        assertEquals(4, runs.get());

        // A request that died holding its lock: after the lock, the same request takes the key over.
        store.claim("alice", "k3", Idempotency.fingerprint(post("alice", "k3", "{}")), clock.instant(),
                clock.instant().plus(Idempotency.LOCK), clock.instant().plus(Idempotency.KEEP));
        assertEquals(409, assertThrows(ApiException.class, () -> idempotency.apply(post("alice", "k3", "{}"), answering(201))).status());
        clock.advance(Idempotency.LOCK.plusSeconds(1));
        assertEquals(201, idempotency.apply(post("alice", "k3", "{}"), answering(201)).status());
        // A day on, the key is free again.
        clock.advance(Duration.ofHours(25));
        idempotency.apply(post("alice", "k1", "{}"), answering(201));
        assertEquals(6, runs.get());
    }

    @Test
    void aKeyThatCannotBeOneIs400() {
        for (String bad : new String[]{"", "has space", "é", "x".repeat(256)}) {
            ApiException e = assertThrows(ApiException.class, () -> idempotency.apply(post("alice", bad, "{}"), answering(201)));
            assertEquals(400, e.status(), bad);
            assertEquals("invalid_idempotency_key", e.code());
        }
        assertEquals(0, runs.get());
        assertEquals(0, store.size());
    }
}
