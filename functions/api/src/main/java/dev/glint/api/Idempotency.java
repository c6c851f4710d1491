package dev.glint.api;

import dev.glint.shared.idempotency.IdempotencyStore;
import dev.glint.shared.idempotency.IdempotencyStore.Claim;
import dev.glint.shared.idempotency.IdempotencyStore.StoredResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Safe retries: a {@code POST} with an {@code Idempotency-Key} header (as in the IETF draft
 * "The Idempotency-Key HTTP Header Field" and Stripe's API) runs once per user and key for a day.
 * The same key with the same request (method, path, query and body) gets the first answer again,
 * marked {@code idempotent-replayed: true}, and changes nothing; with another request, 422; while the
 * first is still running, 409 with {@code Retry-After}. An answer the request did not finish on our
 * side (5xx, or a 429 that refused it before it ran) is not kept, so a retry with the key runs afresh;
 * every other answer (2xx, and 4xx such as a validation error or a conflict) is. Without a key, or on
 * another method ({@code PUT}, {@code PATCH} and {@code DELETE} are idempotent by design here), or on
 * a public route (the unsubscribe link's {@code POST} is idempotent by nature), nothing changes.
 */
final class Idempotency {

    static final String HEADER = "idempotency-key";
    static final String REPLAYED = "idempotent-replayed";
    static final Duration KEEP = Duration.ofHours(24);
    /** Longer than the api function's timeout: a lock that outlives it belongs to a request that died. */
    static final Duration LOCK = Duration.ofSeconds(60);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final IdempotencyStore store;
    private final Clock clock;

    Idempotency(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The request's answer, run at most once for its key. */
    HttpResponse apply(HttpRequest request, Supplier<HttpResponse> answer) {
        String key = header(request.headers());
        String user = request.claims().get("sub");
        if (!"POST".equals(request.method()) || key == null || user == null || user.isBlank()) {
            return answer.get();
        }
        if (!KEY.matcher(key).matches()) {
            throw new ApiException(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters "
                    + "(no spaces; a random UUID is a good key); got " + key.length() + " characters.");
        }
        Instant now = clock.instant();
        Claim claim = store.claim(user, key, fingerprint(request), now, now.plus(LOCK), now.plus(KEEP));
        if (claim instanceof Claim.Replay replay) {
            Map<String, String> headers = new LinkedHashMap<>(replay.response().headers());
            headers.put(REPLAYED, "true");
            return new HttpResponse(replay.response().status(), Map.copyOf(headers), replay.response().body());
        }
        if (claim instanceof Claim.Mismatch) {
            throw new ApiException(422, "idempotency_key_reused", "This Idempotency-Key was first used for another request "
                    + "(another method, path or body); send a new key with a new request.");
        }
        if (claim instanceof Claim.InProgress) {
            throw new InProgress();
        }
        String lock = ((Claim.Claimed) claim).lock();
        HttpResponse response;
        try {
            response = answer.get();
        } catch (RuntimeException e) {
            store.release(user, key, lock);
            throw e;
        }
        if (response.status() >= 500 || response.status() == 429) {
            store.release(user, key, lock);
        } else {
            store.complete(user, key, lock, new StoredResponse(response.status(), response.headers(), response.body()));
        }
        return response;
    }

    /** 409: the key's first request is still running. */
    static final class InProgress extends ApiException {
        InProgress() {
            super(409, "idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; "
                    + "retry in a second to get its answer.");
        }
    }

    private static String header(Map<String, String> headers) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(HEADER)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** SHA-256 of the method, path, query and body: what makes two requests the same request. */
    static String fingerprint(HttpRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.method() + " " + request.path() + "\n").getBytes(StandardCharsets.UTF_8));
            new java.util.TreeMap<>(request.query()).forEach((name, value) ->
                    digest.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
            digest.update((byte) 0);
            digest.update(request.body());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
