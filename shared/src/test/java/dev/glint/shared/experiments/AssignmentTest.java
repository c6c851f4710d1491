package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignmentTest {

    private static final int USERS = 100_000;

    static Experiment experiment(String id, int allocation, Variant... variants) {
        return new Experiment(id, "", Experiment.FEED, List.of(variants), variants[0].name(), List.of("likes"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), allocation);
    }

    private static Map<String, Integer> distribution(Experiment experiment) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            counts.merge(Assignment.variantOf(experiment, "user-" + i).orElse("(out)"), 1, Integer::sum);
        }
        return counts;
    }

    /** Each share within 4 standard deviations of its weight: sd = sqrt(n p (1-p)), at most 158 for n = 100,000. */
    @Test
    void oneHundredThousandUsersSplitByTheWeightsWithinTolerance() {
        Map<String, Integer> counts = distribution(experiment("split", 100,
                new Variant("a", 20), new Variant("b", 30), new Variant("c", 50)));
        Map<String, Double> expected = Map.of("a", 0.2, "b", 0.3, "c", 0.5);
        expected.forEach((name, share) -> {
            double sd = Math.sqrt(USERS * share * (1 - share));
            assertTrue(Math.abs(counts.get(name) - USERS * share) < 4 * sd, name + ": " + counts);
        });
        assertEquals(USERS, counts.values().stream().mapToInt(Integer::intValue).sum());
        Statistics.SampleRatio srm = Statistics.sampleRatio(new long[]{counts.get("a"), counts.get("b"), counts.get("c")},
                new double[]{20, 30, 50});
        assertTrue(!srm.mismatch(), "the hash itself passes the sample-ratio check: " + srm);
    }

    @Test
    void allocationLeavesTheRestOutAndDoesNotMoveAnyoneBetweenVariants() {
        Experiment half = experiment("alloc", 50, new Variant("a", 1), new Variant("b", 1));
        Experiment all = experiment("alloc", 100, new Variant("a", 1), new Variant("b", 1));
        Map<String, Integer> counts = distribution(half);
        assertTrue(Math.abs(counts.get("(out)") - USERS / 2) < 4 * Math.sqrt(USERS * 0.25), counts.toString());
        for (int i = 0; i < 10_000; i++) {
            String user = "user-" + i;
            var inHalf = Assignment.variantOf(half, user);
            if (inHalf.isPresent()) {
                assertEquals(Assignment.variantOf(all, user), inHalf, user);
            }
        }
    }

    /**
     * Buckets are a pure function of (experiment, user): these were computed once and must never change,
     * or every user would move on the next deploy (the same value in every container, version and restart).
     */
    @Test
    void assignmentIsStickyAcrossRestartsAndVersions() {
        Experiment e = experiment("feed-ranking", 100, new Variant("chronological", 50), new Variant("affinity", 50));
        assertEquals(GOLDEN_BUCKETS, List.of(Assignment.bucket("feed-ranking", "alice"), Assignment.bucket("feed-ranking", "bob"),
                Assignment.bucket("other", "alice")));
        assertEquals("affinity", Assignment.variantOf(e, "alice").orElseThrow(), "bucket 6024 is in the second half");
        assertEquals("affinity", Assignment.variantOf(e, "bob").orElseThrow());
    }

    /** Computed independently: int.from_bytes(hashlib.sha256(b"feed-ranking:alice").digest()[:8], "big") % 10000, etc. */
    static final List<Integer> GOLDEN_BUCKETS = List.of(6024, 8512, 4321);

    /** 50/50 -> 60/40 moves exactly the users of buckets 5,000-5,999 from the second variant to the first: ~10 %. */
    @Test
    void changingTheWeightsMovesTheFewestUsers() {
        Experiment before = experiment("move", 100, new Variant("a", 50), new Variant("b", 50));
        Experiment after = experiment("move", 100, new Variant("a", 60), new Variant("b", 40));
        int moved = 0;
        for (int i = 0; i < USERS; i++) {
            String user = "user-" + i;
            String was = Assignment.variantOf(before, user).orElseThrow();
            String is = Assignment.variantOf(after, user).orElseThrow();
            if (!was.equals(is)) {
                moved++;
                assertEquals("b", was, "only users of the shrinking variant move");
                int bucket = Assignment.bucket("move", user);
                assertTrue(bucket >= 5000 && bucket < 6000, "only the buckets between the boundaries: " + bucket);
            }
        }
        // The least any reassignment can move is |60 % - 50 %| = 10 % of users; sd of that share is ~95 users.
        assertTrue(Math.abs(moved - USERS / 10) < 4 * Math.sqrt(USERS * 0.1 * 0.9), "moved " + moved);
    }
}
