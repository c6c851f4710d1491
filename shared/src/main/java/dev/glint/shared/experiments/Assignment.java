package dev.glint.shared.experiments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Sticky, stateless assignment: a hash of (experiment id, user id) picks one of {@link #BUCKETS}
 * buckets, so a user gets the same variant on every request, in every container and every function
 * version, with nothing stored. Variants take contiguous bucket ranges in declared order, in
 * proportion to their weights, so changing the weights moves only the users in the buckets between
 * the old and the new boundaries. For two variants that is the fewest possible (50/50 to 60/40 moves
 * exactly the 10 % of users in buckets 5,000-5,999); with more, a boundary moves by the sum of the
 * changes before it, so a new variant is best added last and weight taken from the last ones.
 *
 * <p>Whether a user is in the experiment at all (its allocation) is decided by a second,
 * independent hash, so changing the allocation does not move anyone between variants.
 */
public final class Assignment {

    public static final int BUCKETS = 10_000;

    private Assignment() {
    }

    /** The user's bucket in the experiment, 0 to 9,999. */
    public static int bucket(String experimentId, String userId) {
        return hash(experimentId + ":" + userId);
    }

    /** The variant the user is in, or empty if the experiment's allocation leaves them out. */
    public static Optional<String> variantOf(Experiment experiment, String userId) {
        if (experiment.allocation() < 100
                && hash("allocation:" + experiment.id() + ":" + userId) >= experiment.allocation() * (BUCKETS / 100)) {
            return Optional.empty();
        }
        return Optional.of(variantOfBucket(experiment, bucket(experiment.id(), userId)));
    }

    /** The variant whose range holds the bucket. */
    static String variantOfBucket(Experiment experiment, int bucket) {
        long total = experiment.totalWeight();
        long cumulative = 0;
        for (Variant variant : experiment.variants()) {
            cumulative += variant.weight();
            if (bucket < cumulative * BUCKETS / total) {
                return variant.name();
            }
        }
        throw new IllegalStateException("bucket " + bucket + " outside every variant of " + experiment.id());
    }

    private static int hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, 8).getLong(), BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
