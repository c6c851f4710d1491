package dev.glint.shared.split;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionSplitTest {

    @Test
    void aWeightChangeMovesOnlyTheUsersBetweenTheBoundaries() {
        VersionSplit before = VersionSplit.parse("api", List.of("1=70", "2=30"));
        VersionSplit after = VersionSplit.parse("api", List.of("2=50", "1=50"));
        int users = 20_000;
        int first = 0;
        int moved = 0;
        for (int i = 0; i < users; i++) {
            String user = "user-" + i;
            int was = before.versionFor(user);
            int is = after.versionFor(user);
            first += was == 1 ? 1 : 0;
            if (was != is) {
                assertEquals(1, was, user + " moved from version 2 back to 1");
                int bucket = before.bucket(user);
                assertTrue(bucket >= 5_000 && bucket < 7_000, user + " in bucket " + bucket + " moved");
                moved++;
            }
        }
        // 20,000 users: 70 % +- 3.29 standard deviations (99.9 %).
        double sd = Math.sqrt(users * 0.7 * 0.3);
        assertTrue(Math.abs(first - users * 0.7) < 3.29 * sd, "version 1 got " + first + " of " + users);
        double movedSd = Math.sqrt(users * 0.2 * 0.8);
        assertTrue(Math.abs(moved - users * 0.2) < 3.29 * movedSd, moved + " of " + users + " moved");
    }

    @Test
    void theSameUserGetsTheSameVersionAndOtherFunctionsSplitIndependently() {
        VersionSplit api = VersionSplit.parse("api", List.of("1=50", "2=50"));
        VersionSplit other = VersionSplit.parse("other", List.of("1=50", "2=50"));
        int differ = 0;
        for (int i = 0; i < 1_000; i++) {
            assertEquals(api.versionFor("u" + i), api.versionFor("u" + i));
            differ += api.versionFor("u" + i) != other.versionFor("u" + i) ? 1 : 0;
        }
        assertTrue(differ > 400 && differ < 600, "the two splits agree on " + (1_000 - differ) + " of 1,000 users");
    }

    @Test
    void aSplitThatCannotBeUsedSaysEveryProblem() {
        var syntax = assertThrows(VersionSplit.InvalidSplit.class, () -> VersionSplit.parse("api", List.of("1=70", "x", "2")));
        assertEquals(2, syntax.problems().size(), syntax.problems().toString());
        assertTrue(syntax.getMessage().contains("'x' is not VERSION=PERCENT"), syntax.getMessage());
        var e = assertThrows(VersionSplit.InvalidSplit.class, () -> VersionSplit.parse("api", List.of("1=70", "1=20", "0=5", "2=101")));
        assertEquals(List.of("version 0 does not exist: published versions are numbered from 1", "version 1 is named twice",
                "version 2's share is 101 %; a share is 0 to 100", "the shares add up to 196 %; they must add up to 100"), e.problems());
        var sum = assertThrows(VersionSplit.InvalidSplit.class, () -> VersionSplit.parse("api", List.of("1=70", "2=20")));
        assertEquals(List.of("the shares add up to 90 %; they must add up to 100"), sum.problems());
        assertThrows(VersionSplit.InvalidSplit.class, () -> VersionSplit.parse("api", List.of()));
        assertEquals(List.of(1, 3), VersionSplit.parse("api", List.of("3=40", "2=0", "1=60")).versions());
        assertEquals("1=60 2=0 3=40", VersionSplit.parse("api", List.of("3=40", "2=0", "1=60")).toString());
    }
}
