package dev.glint.shared.account;

import java.time.Instant;
import java.util.Optional;

/**
 * The tombstones of accounts being erased: while one stands, the account answers as missing and its
 * tokens change nothing. A tombstone is keyed by a digest of the user id and holds no name, handle or
 * id, only how far the erasure got.
 */
public interface ErasureLedger {

    /** What starting an erasure found. */
    enum Start { STARTED, ALREADY_RUNNING, ALREADY_FINISHED }

    /**
     * Puts the tombstone and, in the same transaction, removes the profile, its handle claim and its
     * search entries, so the account is gone from every read at once.
     */
    Start start(String userId, Instant now);

    /** How far the erasure got (read strongly), or empty when none was started. */
    Optional<Progress> progress(String userId);

    /** Records that page {@code page} is done, if it is still the one expected (a replay records nothing). */
    void advance(String userId, long page);

    /** Leaves the tombstone with nothing but its digest, the time it finished and an expiry. */
    void finish(String userId, Instant now);

    /** Whether the account is being or was just erased (read strongly). */
    boolean erased(String userId);

    /** @param page the page expected next; {@code finished} once every step is done */
    record Progress(long page, boolean finished) {
    }
}
