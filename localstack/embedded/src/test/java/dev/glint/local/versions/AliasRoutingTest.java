package dev.glint.local.versions;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AliasRoutingTest {

    private static int picks(AliasRouting routing, String version, int invocations, long seed) {
        Random random = new Random(seed);
        int count = 0;
        for (int i = 0; i < invocations; i++) {
            if (routing.pick(random).equals(version)) {
                count++;
            }
        }
        return count;
    }

    @Test
    void anAdditionalVersionTakesItsWeightOfTheInvocations() {
        AliasRouting canary = AliasRouting.to("1").withAdditional("2", 0.1);
        int n = 100_000;
        int onNew = picks(canary, "2", n, 42);
        // Binomial(100000, 0.1): standard deviation about 95; five of them either side.
        assertTrue(Math.abs(onNew - 10_000) < 475, "version 2 took " + onNew + " of " + n);
        assertEquals(n - onNew, picks(canary, "1", n, 42));
    }

    @Test
    void eachWeightIsHonouredNotJustTen() {
        for (double weight : new double[]{0.01, 0.3, 0.5, 0.9}) {
            int n = 50_000;
            int onNew = picks(AliasRouting.to("1").withAdditional("2", weight), "2", n, 7);
            double sd = Math.sqrt(n * weight * (1 - weight));
            assertTrue(Math.abs(onNew - n * weight) < 5 * sd, weight + ": version 2 took " + onNew + " of " + n);
        }
    }

    @Test
    void withoutAnAdditionalVersionEveryInvocationRunsTheAliasVersion() {
        assertEquals(1000, picks(AliasRouting.to("3"), "3", 1000, 1));
        assertEquals(1000, picks(AliasRouting.to("1").withAdditional("2", 0), "1", 1000, 1));
        assertEquals(1000, picks(AliasRouting.to("1").withAdditional("2", 1), "2", 1000, 1));
    }

    @Test
    void aWeightOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AliasRouting.to("1").withAdditional("2", 1.5));
        assertThrows(IllegalArgumentException.class, () -> new AliasRouting("1", null, 0.2));
    }
}
