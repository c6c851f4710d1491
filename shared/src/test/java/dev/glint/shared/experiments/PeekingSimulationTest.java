package dev.glint.shared.experiments;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a team that looks at its results every day would see: {@value #EXPERIMENTS} simulated
 * experiments, each over {@value #DAYS} days with {@value #USERS_PER_ARM_PER_DAY} new users per
 * variant a day, each user converting with the variant's true rate, and a look at the end of every
 * day through the same {@link Statistics} functions the results use. A run counts as a false
 * positive (A/A, both rates {@value #RATE}) or a detection (A/B) if any look shows p &lt; 0.05.
 *
 * <p>Seeded, so the figures are the same every run. The table is printed and written to
 * {@code target/peeking.txt}.
 */
class PeekingSimulationTest {

    static final int EXPERIMENTS = 2_000;
    static final int POWER_EXPERIMENTS = 500;
    static final int DAYS = 30;
    static final int USERS_PER_ARM_PER_DAY = 500;
    static final double RATE = 0.05;
    /** The A/B runs' real effect, 5 % to 6 %: a 20 % lift, which is also the lift they declare. */
    static final double LIFT = 0.20;
    static final long SEED = 20_261_130L;
    /**
     * A count of runs beyond the critical value of this level is not chance: if the true rate were
     * at the bound, the count would go beyond it once in 1,000 seeds.
     */
    static final double TOLERANCE = 0.001;
    static final int[] SHOWN_DAYS = {1, 7, 14, 30};

    /** The largest lift an experiment may declare: the widest mixing, the most weight on early looks. */
    static final double LARGEST_LIFT = 1.0;

    private static Outcome aa;
    private static Outcome aaWide;
    private static Outcome ab;

    /** Per test, the number of runs significant at some look up to each day, and at the last look alone. */
    record Outcome(int runs, int[] fixedByDay, int[] sequentialByDay, int fixedAtEnd) {

        double fixedRate(int day) {
            return (double) fixedByDay[day - 1] / runs;
        }

        double sequentialRate(int day) {
            return (double) sequentialByDay[day - 1] / runs;
        }
    }

    @BeforeAll
    static void simulate() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        aa = simulate(random.split(), EXPERIMENTS, RATE, RATE, Experiment.DEFAULT_MINIMUM_DETECTABLE_LIFT);
        aaWide = simulate(random.split(), EXPERIMENTS, RATE, RATE, LARGEST_LIFT);
        ab = simulate(random.split(), POWER_EXPERIMENTS, RATE, RATE * (1 + LIFT), LIFT);
        String table = table();
        System.out.print(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "peeking.txt"), table, StandardCharsets.UTF_8);
    }

    private static Outcome simulate(SplittableRandom random, int runs, double controlRate, double treatmentRate,
                                    double lift) {
        int[] fixedFirst = new int[DAYS + 1];
        int[] sequentialFirst = new int[DAYS + 1];
        int fixedAtEnd = 0;
        for (int run = 0; run < runs; run++) {
            long n = 0;
            long xc = 0;
            long xt = 0;
            int fixedDay = 0;
            int sequentialDay = 0;
            boolean fixedLast = false;
            for (int day = 1; day <= DAYS; day++) {
                n += USERS_PER_ARM_PER_DAY;
                xc += conversions(random, USERS_PER_ARM_PER_DAY, controlRate);
                xt += conversions(random, USERS_PER_ARM_PER_DAY, treatmentRate);
                fixedLast = Statistics.compare(n, xc, n, xt).orElseThrow().pValue() < Statistics.ALPHA;
                if (fixedDay == 0 && fixedLast) {
                    fixedDay = day;
                }
                if (sequentialDay == 0 && Statistics.sequential(n, xc, n, xt, Statistics.mixingTau(n, xc, n, xt, lift))
                        .map(Statistics.Sequential::significant).orElse(false)) {
                    sequentialDay = day;
                }
            }
            fixedFirst[fixedDay]++;
            sequentialFirst[sequentialDay]++;
            fixedAtEnd += fixedLast ? 1 : 0;
        }
        return new Outcome(runs, cumulative(fixedFirst), cumulative(sequentialFirst), fixedAtEnd);
    }

    /** Runs first significant on or before each day (index 0 counts "never"). */
    private static int[] cumulative(int[] first) {
        int[] byDay = new int[DAYS];
        int sum = 0;
        for (int day = 1; day <= DAYS; day++) {
            sum += first[day];
            byDay[day - 1] = sum;
        }
        return byDay;
    }

    private static int conversions(SplittableRandom random, int users, double rate) {
        int converted = 0;
        for (int i = 0; i < users; i++) {
            converted += random.nextDouble() < rate ? 1 : 0;
        }
        return converted;
    }

    /**
     * The smallest count k with P(X >= k) <= level for X ~ Binomial(n, p): a count of k or more is
     * evidence, at that level, that the true rate is above p. Summed exactly from the pmf.
     */
    static int upperCritical(int n, double p, double level) {
        double tail = 0;
        for (int k = n; k >= 0; k--) {
            double pmf = Math.exp(Statistics.lnGamma(n + 1.0) - Statistics.lnGamma(k + 1.0) - Statistics.lnGamma(n - k + 1.0)
                    + k * Math.log(p) + (n - k) * Math.log1p(-p));
            if (tail + pmf > level) {
                return k + 1;
            }
            tail += pmf;
        }
        return 0;
    }

    /** The largest count k with P(X <= k) <= level for X ~ Binomial(n, p). */
    static int lowerCritical(int n, double p, double level) {
        return n - upperCritical(n, 1 - p, level);
    }

    private static String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Peeking every day: %,d A/A and %,d A/B experiments, %d daily looks,"
                        + " %,d users per variant a day, seed %d%n", EXPERIMENTS, POWER_EXPERIMENTS, DAYS,
                USERS_PER_ARM_PER_DAY, SEED));
        out.append(String.format(Locale.ROOT, "A/A: both %.0f %%; A/B: %.0f %% against %.0f %% (a %.0f %% lift, declared)%n",
                100 * RATE, 100 * RATE, 100 * RATE * (1 + LIFT), 100 * LIFT));
        out.append(String.format(Locale.ROOT, "%-56s", "significant at any look up to day"));
        for (int day : SHOWN_DAYS) {
            out.append(String.format(Locale.ROOT, "%9d", day));
        }
        out.append(System.lineSeparator());
        row(out, "A/A false positives, fixed-horizon z-test", aa, true);
        row(out, String.format(Locale.ROOT, "A/A false positives, sequential, %.0f %% lift (default)",
                100 * Experiment.DEFAULT_MINIMUM_DETECTABLE_LIFT), aa, false);
        row(out, String.format(Locale.ROOT, "A/A false positives, sequential, %.0f %% lift (largest)", 100 * LARGEST_LIFT),
                aaWide, false);
        row(out, "A/B detections, fixed-horizon z-test", ab, true);
        row(out, "A/B detections, sequential (mSPRT)", ab, false);
        out.append(String.format(Locale.ROOT, "A/A false positives of the fixed test looked at once, on day %d: %.1f %%%n",
                DAYS, 100.0 * aa.fixedAtEnd() / aa.runs()));
        out.append(String.format(Locale.ROOT, "A/B detections of the fixed test looked at once, on day %d: %.1f %%"
                        + " (%,d users per variant; the sample size for a %.0f %% lift over %.0f %% is %,d)%n", DAYS,
                100.0 * ab.fixedAtEnd() / ab.runs(), DAYS * USERS_PER_ARM_PER_DAY, 100 * LIFT, 100 * RATE,
                Statistics.sampleSize(RATE, LIFT).orElseThrow()));
        return out.toString();
    }

    private static void row(StringBuilder out, String title, Outcome outcome, boolean fixed) {
        out.append(String.format(Locale.ROOT, "%-56s", title));
        for (int day : SHOWN_DAYS) {
            out.append(String.format(Locale.ROOT, "%8.1f%%", 100 * (fixed ? outcome.fixedRate(day) : outcome.sequentialRate(day))));
        }
        out.append(System.lineSeparator());
    }

    /**
     * The sequential test keeps its promise: at most 5 % of A/A runs are ever declared significant,
     * within binomial sampling error, whether the mixing is from the default lift or from the largest
     * an experiment may declare. The bound is the 0.999 critical count of Binomial(2,000, 0.05), 5 %
     * plus about three standard errors (0.49 % each).
     */
    @Test
    void dailyPeeksAtTheSequentialTestKeepFalsePositivesAtOrUnderFivePercent() {
        int bound = upperCritical(EXPERIMENTS, Statistics.ALPHA, TOLERANCE);
        for (Outcome outcome : new Outcome[]{aa, aaWide}) {
            int falsePositives = outcome.sequentialByDay()[DAYS - 1];
            assertTrue(falsePositives < bound, falsePositives + " of " + EXPERIMENTS + " A/A runs declared significant"
                    + " at some look; a true rate of 5 % gives fewer than " + bound + " but once in 1,000 seeds");
        }
    }

    /**
     * The fixed test drifts under daily looks: far more than 5 % of A/A runs are significant at some
     * look, significantly more than twice the nominal rate (beyond the 0.999 critical count of
     * Binomial(2,000, 0.10)); looked at once, on the last day, it keeps its 5 % (within the same
     * tolerance either side).
     */
    @Test
    void dailyPeeksAtTheFixedHorizonTestInflateFalsePositives() {
        int peeking = aa.fixedByDay()[DAYS - 1];
        assertTrue(peeking >= upperCritical(EXPERIMENTS, 2 * Statistics.ALPHA, TOLERANCE),
                peeking + " of " + EXPERIMENTS + " A/A runs significant at some look: not above 10 %");
        assertTrue(aa.fixedAtEnd() < upperCritical(EXPERIMENTS, Statistics.ALPHA, TOLERANCE)
                        && aa.fixedAtEnd() > lowerCritical(EXPERIMENTS, Statistics.ALPHA, TOLERANCE),
                aa.fixedAtEnd() + " of " + EXPERIMENTS + " A/A runs significant at the one planned look: not 5 %");
    }

    /**
     * A real 20 % lift, with the users of {@value #DAYS} days (15,000 a variant, beyond the 8,158 the
     * fixed test needs for 80 % power): the sequential test detects it in most runs, significantly
     * more than half (beyond the 0.999 critical count of Binomial(500, 0.5)), though later than the
     * fixed test would: the price of looking freely.
     */
    @Test
    void theSequentialTestDetectsARealLiftInMostRuns() {
        int detected = ab.sequentialByDay()[DAYS - 1];
        assertTrue(detected >= upperCritical(POWER_EXPERIMENTS, 0.5, TOLERANCE),
                detected + " of " + POWER_EXPERIMENTS + " A/B runs detected by the sequential test");
    }

    @Test
    void criticalCountsMatchTheBinomialDistribution() {
        // scipy.stats.binom.isf(0.001, 2000, 0.05) = 131: P(X > 131) <= 0.001 < P(X > 130) = 0.00131, so k = 132
        org.junit.jupiter.api.Assertions.assertEquals(132, upperCritical(2000, 0.05, 0.001));
        // scipy.stats.binom.ppf(0.001, 2000, 0.05) = 71: P(X <= 70) <= 0.001 < P(X <= 71)
        org.junit.jupiter.api.Assertions.assertEquals(70, lowerCritical(2000, 0.05, 0.001));
    }
}
