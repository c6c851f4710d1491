package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The automatic sample-ratio check as {@link ExperimentGuard} runs it: a look at the cumulative exposures every
 * hour for {@value #DAYS} days, {@value #USERS_PER_LOOK} new users a look, from the first look with at least
 * {@link ExperimentGuard#MINIMUM_EXPOSURES}. A sound 50/50 split ever flagged is a false stop; a broken one
 * (the treatment loses {@value #LOST_PERCENT} % of its exposures) flagged is a detection. Both tests at p &lt;
 * {@link Statistics#SRM_THRESHOLD}: the fixed-horizon chi-square, and the always-valid one the guard uses.
 *
 * <p>Seeded; the table is printed and written to {@code target/srm-peeking.txt}.
 */
class SampleRatioPeekingTest {

    static final int RUNS = 2_000;
    static final int DAYS = 30;
    static final int LOOKS = DAYS * 24;
    static final int USERS_PER_LOOK = 1_000;
    static final int LOST_PERCENT = 4;
    static final long SEED = 20_261_130L;

    /** Runs flagged at some look, and the mean look of the first flag among them. */
    record Outcome(int fixed, int alwaysValid, double fixedLook, double alwaysValidLook) {
    }

    static Outcome simulate(double treatmentKept, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int fixed = 0;
        int alwaysValid = 0;
        long fixedLooks = 0;
        long alwaysValidLooks = 0;
        double[] weights = {1, 1};
        for (int run = 0; run < RUNS; run++) {
            long control = 0;
            long treatment = 0;
            int fixedAt = -1;
            int alwaysValidAt = -1;
            for (int look = 1; look <= LOOKS && (fixedAt < 0 || alwaysValidAt < 0); look++) {
                // Each user is assigned 50/50; a treatment user's exposure is recorded with treatmentKept.
                long toTreatment = binomial(random, USERS_PER_LOOK, 0.5);
                control += USERS_PER_LOOK - toTreatment;
                treatment += binomial(random, toTreatment, treatmentKept);
                if (control + treatment < ExperimentGuard.MINIMUM_EXPOSURES) {
                    continue;
                }
                Statistics.SampleRatio srm = Statistics.sampleRatio(new long[]{control, treatment}, weights);
                if (fixedAt < 0 && srm.mismatch()) {
                    fixedAt = look;
                }
                if (alwaysValidAt < 0 && srm.alwaysValidPValue() < Statistics.SRM_THRESHOLD) {
                    alwaysValidAt = look;
                }
            }
            if (fixedAt > 0) {
                fixed++;
                fixedLooks += fixedAt;
            }
            if (alwaysValidAt > 0) {
                alwaysValid++;
                alwaysValidLooks += alwaysValidAt;
            }
        }
        return new Outcome(fixed, alwaysValid, fixed == 0 ? Double.NaN : (double) fixedLooks / fixed,
                alwaysValid == 0 ? Double.NaN : (double) alwaysValidLooks / alwaysValid);
    }

    /** A binomial draw by its normal approximation (n of a thousand or so, p near a half: plenty exact here). */
    private static long binomial(SplittableRandom random, long n, double p) {
        double mean = n * p;
        double sd = Math.sqrt(n * p * (1 - p));
        double z = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        return Math.max(0, Math.min(n, Math.round(mean + sd * z)));
    }

    @Test
    void hourlyLooksStopASoundSplitAtMostAtTheThresholdsRateAndFindABrokenOne() throws IOException {
        Outcome sound = simulate(1.0, SEED);
        Outcome broken = simulate(1.0 - LOST_PERCENT / 100.0, SEED + 1);
        String table = String.format(Locale.ROOT, """
                Sample-ratio check looked at every hour for %d days, %,d users a look, %,d runs each (p < %s)
                split                          fixed-horizon chi-square      always valid (what the guard uses)
                sound 50/50: ever stopped      %5.2f %% (%d runs)             %5.2f %% (%d runs)
                treatment loses %d %%: found    %5.1f %% (mean look %.1f h)     %5.1f %% (mean look %.1f h)
                """, DAYS, USERS_PER_LOOK, RUNS, Statistics.SRM_THRESHOLD,
                100.0 * sound.fixed() / RUNS, sound.fixed(), 100.0 * sound.alwaysValid() / RUNS, sound.alwaysValid(),
                LOST_PERCENT, 100.0 * broken.fixed() / RUNS, broken.fixedLook(),
                100.0 * broken.alwaysValid() / RUNS, broken.alwaysValidLook());
        System.out.print(table);
        Path out = Path.of("target", "srm-peeking.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);

        // At most alpha of sound splits stopped, however many looks: 2 expected of 2,000, 8 or more is a 1-in-1,000 fluke.
        assertTrue(sound.alwaysValid() <= 7, "sound splits stopped by the always-valid check: " + sound.alwaysValid());
        // The fixed test looked at every hour stops more sound splits than its threshold says (why the guard does not use it).
        assertTrue(sound.fixed() > sound.alwaysValid(), table);
        // A broken split is found in every run, within three days on average (the price of looking safely: the
        // fixed test, were it looked at once, would need fewer users).
        assertTrue(broken.alwaysValid() == RUNS, table);
        assertTrue(broken.alwaysValidLook() < 72, table);
    }
}
