package dev.glint.shared.digest;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Optional;

/**
 * Users' digest preferences, the per-frequency index of opted-in users (sharded, read by query, never
 * scanned), and the claims that make a digest once per user and period.
 */
public interface DigestPreferenceStore {

    /** How many partitions each frequency's index spreads its users over (the adapter's key design says). */
    int shards();

    /** The user's own preference, read strongly (read-your-writes). */
    Optional<DigestPreference> find(String userId);

    /**
     * Saves a preference; the index entry of the old frequency goes and the new one's comes in the
     * same transaction, so the index never lists a user under two frequencies or one they left.
     */
    void save(DigestPreference preference);

    /** One page of the users opted in to a frequency, from one shard of its index. */
    Page<DigestPreference> subscribers(DigestFrequency frequency, int shard, int limit, Optional<PageToken> after);

    /**
     * Claims the digest of a user for a period: true once, false for every later claim of the same
     * user and period.
     *
     * @param expires when the claim may be forgotten (after the period can no longer run)
     */
    boolean claim(String userId, String periodKey, Instant expires);

    /** Gives a claim back (the send failed before anything left), so a retry may send. */
    void release(String userId, String periodKey);
}
