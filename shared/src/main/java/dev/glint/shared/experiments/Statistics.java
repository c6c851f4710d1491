package dev.glint.shared.experiments;

/**
 * The statistics of experiment results, in plain Java: the normal distribution (through the
 * regularized incomplete gamma function, erfc(x) = Q(1/2, x²), accurate to about 1e-14), the
 * two-proportion z-test, confidence intervals of the difference and of the relative lift, and the
 * chi-square test of the sample ratio.
 */
public final class Statistics {

    /** The two-sided 95 % quantile of the standard normal distribution. */
    public static final double Z_95 = 1.959963984540054;
    private static final double EPS = 1e-15;
    private static final double FPMIN = Double.MIN_NORMAL / EPS;
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7};

    private Statistics() {
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7). */
    public static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        x -= 1;
        double a = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
    public static double gammaQ(double a, double x) {
        if (x < 0 || a <= 0) {
            throw new IllegalArgumentException("gammaQ needs a > 0 and x >= 0");
        }
        if (x == 0) {
            return 1;
        }
        return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x);
    }

    /** P(a, x) by its series (converges fast for x < a + 1). */
    private static double series(double a, double x) {
        double ap = a;
        double sum = 1 / a;
        double del = sum;
        for (int n = 0; n < 10_000; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.abs(del) < Math.abs(sum) * EPS) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
    }

    /** Q(a, x) by its continued fraction, modified Lentz (converges fast for x >= a + 1). */
    private static double continuedFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / FPMIN;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < FPMIN) {
                d = FPMIN;
            }
            c = b + an / c;
            if (Math.abs(c) < FPMIN) {
                c = FPMIN;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
    }

    /** The complementary error function. */
    public static double erfc(double x) {
        return x >= 0 ? gammaQ(0.5, x * x) : 2 - gammaQ(0.5, x * x);
    }

    /** P(Z <= z) for a standard normal Z. */
    public static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** P(X >= x) for X chi-square distributed with {@code degrees} degrees of freedom. */
    public static double chiSquareSurvival(double x, int degrees) {
        return gammaQ(degrees / 2.0, x / 2.0);
    }

    /**
     * A treatment against the control.
     *
     * @param difference    p_t - p_c, with its 95 % interval (unpooled standard error)
     * @param lift          (p_t - p_c) / p_c, with its 95 % interval (log of the risk ratio, Katz);
     *                      null when the control or the treatment has no conversion
     * @param z             the pooled two-proportion z statistic
     * @param pValue        two-sided
     */
    public record Comparison(double difference, double differenceLow, double differenceHigh,
                             Double lift, Double liftLow, Double liftHigh, double z, double pValue) {
    }

    /**
     * The two-proportion z-test of {@code xt} conversions in {@code nt} treatment users against
     * {@code xc} in {@code nc} control users.
     *
     * @return empty when either group has no users
     */
    public static java.util.Optional<Comparison> compare(long nc, long xc, long nt, long xt) {
        if (nc <= 0 || nt <= 0) {
            return java.util.Optional.empty();
        }
        double pc = (double) xc / nc;
        double pt = (double) xt / nt;
        double diff = pt - pc;
        double unpooled = Math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt);
        double pooled = (double) (xc + xt) / (nc + nt);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / nc + 1.0 / nt));
        double z = se == 0 ? 0 : diff / se;
        double p = se == 0 ? 1 : Math.min(1, 2 * normalCdf(-Math.abs(z)));
        Double lift = null;
        Double liftLow = null;
        Double liftHigh = null;
        if (xc > 0 && xt > 0) {
            lift = diff / pc;
            double logRatio = Math.log(pt / pc);
            double seLog = Math.sqrt((1 - pt) / xt + (1 - pc) / xc);
            liftLow = Math.exp(logRatio - Z_95 * seLog) - 1;
            liftHigh = Math.exp(logRatio + Z_95 * seLog) - 1;
        }
        return java.util.Optional.of(new Comparison(diff, diff - Z_95 * unpooled, diff + Z_95 * unpooled,
                lift, liftLow, liftHigh, z, p));
    }

    /** The sample-ratio check: chi-square of the observed counts against the configured weights. */
    public record SampleRatio(double chiSquare, int degrees, double pValue, boolean mismatch) {
    }

    /** A split whose p-value is below this is flagged as broken. */
    public static final double SRM_THRESHOLD = 0.001;

    public static SampleRatio sampleRatio(long[] observed, double[] weights) {
        if (observed.length != weights.length || observed.length < 2) {
            throw new IllegalArgumentException("one weight per observed count, at least two");
        }
        long n = 0;
        double w = 0;
        for (int i = 0; i < observed.length; i++) {
            n += observed[i];
            w += weights[i];
        }
        int degrees = observed.length - 1;
        if (n == 0) {
            return new SampleRatio(0, degrees, 1, false);
        }
        double chi = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = n * weights[i] / w;
            chi += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        double p = chiSquareSurvival(chi, degrees);
        return new SampleRatio(chi, degrees, p, p < SRM_THRESHOLD);
    }
}
