package dev.glint.shared.experiments;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics against values computed independently: textbook table values, and a worked
 * example derived by hand below (cross-checked with scipy 1.17: stats.norm.sf, stats.chisquare).
 */
class StatisticsTest {

    @Test
    void normalDistributionMatchesTableValues() {
        assertEquals(0.025, 1 - Statistics.normalCdf(1.959963984540054), 1e-12, "P(Z > 1.96) = 0.025");
        assertEquals(0.5, Statistics.normalCdf(0), 1e-15);
        assertEquals(0.0013498980316300933, Statistics.normalCdf(-3), 1e-14, "P(Z < -3)");
        assertEquals(0.8413447460685429, Statistics.normalCdf(1), 1e-14, "P(Z < 1)");
        assertEquals(0.4795001221869535, Statistics.erfc(0.5), 1e-14);
        assertEquals(2.2090496998585438e-05, Statistics.erfc(3), 1e-18);
        assertEquals(1.5204998778130465, Statistics.erfc(-0.5), 1e-14);
    }

    @Test
    void chiSquareMatchesTableValues() {
        assertEquals(0.05, Statistics.chiSquareSurvival(3.841458820694124, 1), 1e-12, "chi-square(1) 3.841 -> 0.05");
        assertEquals(0.05, Statistics.chiSquareSurvival(5.991464547107979, 2), 1e-12, "chi-square(2) 5.991 -> 0.05");
        assertEquals(0.04042768199451279, Statistics.chiSquareSurvival(10, 4), 1e-12);
        assertEquals(0.001, Statistics.chiSquareSurvival(10.827566170662733, 1), 1e-12, "chi-square(1) 10.83 -> 0.001");
    }

    /**
     * Control 100 of 1,000 (10 %), treatment 130 of 1,000 (13 %).
     * Pooled p = 230 / 2000 = 0.115; SE = sqrt(0.115 * 0.885 * (1/1000 + 1/1000)) = sqrt(0.00020355) = 0.0142671;
     * z = 0.03 / 0.0142671 = 2.10274; two-sided p = 2 * (1 - Φ(2.10274)) = 0.035488.
     * Difference 0.03 ± 1.96 * sqrt(0.1*0.9/1000 + 0.13*0.87/1000) = 0.03 ± 1.96 * 0.0141527 = [0.002068, 0.057932].
     * Lift 0.03 / 0.10 = 0.30; log risk ratio ln(1.3) = 0.262364 ± 1.96 * sqrt(0.87/130 + 0.9/100) = ± 1.96 * 0.125269
     * -> ratio [1.016984, 1.661776] -> lift [0.016984, 0.661776].
     */
    @Test
    void twoProportionTestOfTheWorkedExample() {
        Statistics.Comparison c = Statistics.compare(1000, 100, 1000, 130).orElseThrow();

        assertEquals(2.102740605622114, c.z(), 1e-9);
        assertEquals(0.03548845046647471, c.pValue(), 1e-9);
        assertEquals(0.03, c.difference(), 1e-12);
        assertEquals(0.0020679344393763656, c.differenceLow(), 1e-9);
        assertEquals(0.057932065560623636, c.differenceHigh(), 1e-9);
        assertEquals(0.30, c.lift(), 1e-12);
        assertEquals(0.01698427097104549, c.liftLow(), 1e-9);
        assertEquals(0.6617759470226023, c.liftHigh(), 1e-9);
    }

    @Test
    void equalRatesAreNotSignificantAndNoConversionsHaveNoLift() {
        Statistics.Comparison same = Statistics.compare(500, 50, 500, 50).orElseThrow();
        assertEquals(0, same.z(), 1e-12);
        assertEquals(1, same.pValue(), 1e-12);

        Statistics.Comparison none = Statistics.compare(500, 0, 500, 0).orElseThrow();
        assertEquals(1, none.pValue(), 1e-12, "no variance: nothing to detect");
        assertNull(none.lift());
        assertTrue(Statistics.compare(0, 0, 10, 1).isEmpty(), "an empty control compares with nothing");
    }

    /**
     * The always-valid check: two users both in the first of two even arms give a factor of
     * Γ(100)/Γ(102) · Γ(52)/Γ(50) / 0.5² = (51·50)/(101·100)/0.25 = 1.0099, so p = 10,100/10,200; the 5,200/4,800 split the
     * chi-square flags at one look is not yet flagged by the test that may be looked at every time; 99/1 is.
     */
    @Test
    void theAlwaysValidSampleRatioCheckIsOneOverTheMixturesBayesFactor() {
        assertEquals(10_100.0 / 10_200, Statistics.sampleRatioAlwaysValid(new long[]{2, 0}, new double[]{1, 1}), 1e-12);
        assertEquals(1.0, Statistics.sampleRatioAlwaysValid(new long[]{0, 0}, new double[]{1, 1}), 1e-12);
        assertEquals(1.0, Statistics.sampleRatioAlwaysValid(new long[]{480, 510, 1010}, new double[]{1, 1, 2}), 1e-12, "capped at 1");
        assertEquals(0.003647864278633264, Statistics.sampleRatioAlwaysValid(new long[]{5200, 4800}, new double[]{50, 50}), 1e-12);
        assertEquals(1.5862601119165303e-11, Statistics.sampleRatioAlwaysValid(new long[]{99, 1}, new double[]{1, 1}), 1e-20);
    }

    /** 5,200 against 4,800 on a 50/50 split: chi-square = 2 * 200² / 5000 = 16, df 1, p = 6.334e-5: broken. */
    @Test
    void sampleRatioMismatchIsFlaggedAgainstTheConfiguredWeights() {
        Statistics.SampleRatio broken = Statistics.sampleRatio(new long[]{5200, 4800}, new double[]{50, 50});
        assertEquals(16.0, broken.chiSquare(), 1e-12);
        assertEquals(1, broken.degrees());
        assertEquals(6.334248366623988e-05, broken.pValue(), 1e-15);
        assertTrue(broken.mismatch());

        // 480/510/1010 against 25/25/50: (20² + 10²)/500 + 10²/1000 = 1.1, df 2, p = e^(-0.55) = 0.57695
        Statistics.SampleRatio fine = Statistics.sampleRatio(new long[]{480, 510, 1010}, new double[]{1, 1, 2});
        assertEquals(1.1, fine.chiSquare(), 1e-12);
        assertEquals(0.5769498103804868, fine.pValue(), 1e-12);
        assertFalse(fine.mismatch());

        assertFalse(Statistics.sampleRatio(new long[]{0, 0}, new double[]{1, 1}).mismatch(), "no exposures yet");
    }

    /**
     * The mSPRT of the worked example, mixing from a 10 % minimum detectable lift.
     * tau = 0.10 * pooled 0.115 = 0.0115, tau² = 0.00013225; V = 0.1*0.9/1000 + 0.13*0.87/1000 = 0.0002031;
     * ln Λ = ½ ln(0.0002031 / 0.00033535) + 0.00013225 * 0.03² / (2 * 0.0002031 * 0.00033535)
     * = -0.250733 + 0.873771 = 0.623038, Λ = 1.86458, p = 1/Λ = 0.536313: the fixed test's 0.035 is
     * not yet evidence that survives peeking. Half-width sqrt(0.0002031 * 0.00033535 / 0.00013225
     * * (2 ln 20 + ln(0.00033535 / 0.0002031))) = sqrt(0.000515012 * 6.49290) = 0.0578265.
     * (Computed with mpmath at 30 digits.)
     */
    @Test
    void sequentialTestOfTheWorkedExampleIsNotYetSignificant() {
        double tau = Statistics.mixingTau(1000, 100, 1000, 130, 0.10);
        assertEquals(0.0115, tau, 1e-15);
        assertEquals(0.623037548467567, Statistics.logMixtureLikelihoodRatio(0.03, 0.0002031, tau), 1e-12);

        Statistics.Sequential s = Statistics.sequential(1000, 100, 1000, 130, tau).orElseThrow();
        assertEquals(0.536312884507899, s.pValue(), 1e-12);
        assertEquals(-0.0278265123302204, s.low95(), 1e-12);
        assertEquals(0.0878265123302204, s.high95(), 1e-12);
        assertFalse(s.significant());
    }

    /**
     * Ten times the users: 1,000 of 10,000 against 1,130 of 10,000. The fixed test gives z = 2.98,
     * p = 0.0029; the mSPRT (tau = 0.1 * 0.1065 = 0.01065, V = 1.90231e-5) gives ln Λ = 2.833711,
     * p = 0.0587943 and the sequence [-0.000274, 0.026274]: not significant, and the interval says so
     * too (it holds 0). With 1,200 of 10,000 (tau = 0.011, V = 1.956e-5): ln Λ = 7.815995,
     * p = 0.000403233, [0.00654828, 0.0334517], significant.
     */
    @Test
    void sequentialPValueAndIntervalAgreeOnSignificance() {
        Statistics.Sequential near = Statistics.sequential(10_000, 1000, 10_000, 1130,
                Statistics.mixingTau(10_000, 1000, 10_000, 1130, 0.10)).orElseThrow();
        assertEquals(0.0587942539101158, near.pValue(), 1e-12);
        assertEquals(-0.000273965337711570, near.low95(), 1e-12);
        assertEquals(0.0262739653377116, near.high95(), 1e-12);
        assertFalse(near.significant());
        assertTrue(Statistics.compare(10_000, 1000, 10_000, 1130).orElseThrow().pValue() < 0.05,
                "the fixed test calls it");

        Statistics.Sequential clear = Statistics.sequential(10_000, 1000, 10_000, 1200,
                Statistics.mixingTau(10_000, 1000, 10_000, 1200, 0.10)).orElseThrow();
        assertEquals(0.000403233372036771, clear.pValue(), 1e-13);
        assertEquals(0.00654828462856148, clear.low95(), 1e-12);
        assertEquals(0.0334517153714385, clear.high95(), 1e-12);
        assertTrue(clear.significant());
    }

    /**
     * The boundary: Λ = 1/α exactly where the interval's edge touches 0, so the p-value and the
     * interval never disagree. For V = 1e-4, tau = 0.01: the edge is d² = V (V+tau²)/tau²
     * (2 ln 20 + ln 2) = 2e-4 * 6.684620 = 1.336924e-3.
     */
    @Test
    void theIntervalEdgeTouchesZeroWhereThePValueIsAlpha() {
        double d = Math.sqrt(2e-4 * (2 * Math.log(20) + Math.log(2)));
        assertEquals(Math.log(20), Statistics.logMixtureLikelihoodRatio(d, 1e-4, 0.01), 1e-12);
    }

    @Test
    void noVariationHasNoSequentialTestAndEqualRatesHavePValueOne() {
        assertTrue(Statistics.sequential(500, 0, 500, 0, Statistics.mixingTau(500, 0, 500, 0, 0.1)).isEmpty(),
                "no conversion yet: nothing to test");
        assertEquals(0, Statistics.mixingTau(500, 0, 500, 0, 0.1));
        assertTrue(Statistics.sequential(0, 0, 10, 1, 0.01).isEmpty(), "an empty control compares with nothing");

        // 100 of 1,000 in both: tau = 0.01, V = 1.8e-4, ln Λ = ½ ln(1.8 / 2.8) = -0.220916 < 0, so p = 1
        Statistics.Sequential same = Statistics.sequential(1000, 100, 1000, 100, 0.01).orElseThrow();
        assertEquals(1, same.pValue());
        assertEquals(-0.0569419163612453, same.low95(), 1e-12);
        assertEquals(0.0569419163612453, same.high95(), 1e-12);
    }

    /**
     * Fleiss eq. 4.14: p1 = 0.10, p2 = 0.11, p̄ = 0.105: (1.959964 sqrt(2 * 0.105 * 0.895)
     * + 0.841621 sqrt(0.09 + 0.0979))² / 0.01² = 14,750.79 -> 14,751 users per variant.
     * p1 = 0.05, lift 20 % (p2 = 0.06): 8,157.73 -> 8,158. p1 = 0.15, lift 10 %: 9,256.57 -> 9,257.
     */
    @Test
    void sampleSizeForAMinimumDetectableLift() {
        assertEquals(14_751, Statistics.sampleSize(0.10, 0.10).orElseThrow());
        assertEquals(8_158, Statistics.sampleSize(0.05, 0.20).orElseThrow());
        assertEquals(9_257, Statistics.sampleSize(0.15, 0.10).orElseThrow());
        assertTrue(Statistics.sampleSize(0, 0.10).isEmpty(), "no conversion in the control: no base rate yet");
        assertTrue(Statistics.sampleSize(0.6, 1.0).isEmpty(), "a lifted rate of 120 % cannot be detected");
    }
}
