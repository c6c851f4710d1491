package dev.glint.shared.idempotency;

import java.time.Instant;
import java.util.Map;

/**
 * Where the api keeps each user's {@code Idempotency-Key}s: the first request with a key claims it
 * (with a fingerprint of the request and a lock for as long as it may run), then stores its answer;
 * a retry with the same key and fingerprint gets that answer back, one with another fingerprint is
 * refused, and one while the first still runs is told to wait. Keys expire after a day.
 */
public interface IdempotencyStore {

    /** An answer as the api gave it: status, headers and body. */
    record StoredResponse(int status, Map<String, String> headers, String body) {
        public StoredResponse {
            headers = Map.copyOf(headers);
        }
    }

    /** What a claim found. */
    sealed interface Claim {
        /** The key is this request's now; complete or release it with the lock. */
        record Claimed(String lock) implements Claim {
        }

        /** The key's first request finished with this answer. */
        record Replay(StoredResponse response) implements Claim {
        }

        /** The key was first used for another request. */
        record Mismatch() implements Claim {
        }

        /** The key's first request is still running (its lock holds until then). */
        record InProgress(Instant lockedUntil) implements Claim {
        }
    }

    /**
     * Claims the user's key for a request with this fingerprint, unless it is held: by an answer
     * (kept until {@code expires}) or by a request still running (locked until {@code lockedUntil}).
     * A lock that ran out (its request died) is taken over by a request with the same fingerprint.
     */
    Claim claim(String userId, String key, String fingerprint, Instant now, Instant lockedUntil, Instant expires);

    /** Stores the answer of the request that holds the lock. */
    void complete(String userId, String key, String lock, StoredResponse response);

    /** Gives the key back (the request failed on our side), so a retry runs afresh. */
    void release(String userId, String key, String lock);
}
