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
}
