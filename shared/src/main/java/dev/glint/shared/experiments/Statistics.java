package dev.glint.shared.experiments;

/**
 * The statistics of experiment results, in plain Java: the normal distribution (through the
 * regularized incomplete gamma function, erfc(x) = Q(1/2, x²), accurate to about 1e-14), the
 * two-proportion z-test, confidence intervals of the difference and of the relative lift, the
 * chi-square test of the sample ratio, the mixture sequential probability ratio test (always-valid
 * p-values and confidence sequences, safe to look at every day) and the sample size of a
 * two-proportion test.
 */
public final class Statistics {

    /** The two-sided 95 % quantile of the standard normal distribution. */
    public static final double Z_95 = 1.959963984540054;
    /** The one-sided 80 % quantile of the standard normal distribution (the power of a sample size). */
    public static final double Z_80 = 0.8416212335729143;
    /** The significance level of every test here: a 5 % chance of a false positive. */
    public static final double ALPHA = 0.05;
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

    /**
     * The sample-ratio check: chi-square of the observed counts against the configured weights (for one look),
     * and the always-valid p-value ({@link #sampleRatioAlwaysValid}) the automatic stop uses at every look.
     */
    public record SampleRatio(double chiSquare, int degrees, double pValue, boolean mismatch, double alwaysValidPValue) {
        public SampleRatio(double chiSquare, int degrees, double pValue, boolean mismatch) {
            this(chiSquare, degrees, pValue, mismatch, 1);
        }
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
        return new SampleRatio(chi, degrees, p, p < SRM_THRESHOLD, alwaysValid(observed, weights, n, w));
    }

    /** How strongly the always-valid sample-ratio check's prior holds to the weights (its Dirichlet's total). */
    public static final double SRM_PRIOR_STRENGTH = 100;

    /**
     * The sample-ratio check that may be made at every look: the always-valid p-value of "the exposures follow
     * the weights", 1 over the Bayes factor of a Dirichlet-multinomial mixture (parameters
     * {@link #SRM_PRIOR_STRENGTH} times the weights' shares) against the weights' own multinomial. Under a sound
     * split the factor is a martingale, so (Ville's inequality) the chance it ever passes 1/alpha, however often it
     * is looked at, is at most alpha; a fixed-horizon chi-square looked at every 15 minutes is not. It needs more
     * users than the chi-square to flag a small mismatch (a 50.5/49.5 split: about 200,000 rather than 100,000).
     *
     * @return the p-value (at most 1); {@link #sampleRatio} gives it beside the chi-square
     */
    public static double sampleRatioAlwaysValid(long[] observed, double[] weights) {
        return sampleRatio(observed, weights).alwaysValidPValue();
    }

    /** The always-valid p-value of counts that sum to {@code n} against weights that sum to {@code w}. */
    private static double alwaysValid(long[] observed, double[] weights, long n, double w) {
        double logFactor = lnGamma(SRM_PRIOR_STRENGTH) - lnGamma(SRM_PRIOR_STRENGTH + n);
        for (int i = 0; i < observed.length; i++) {
            double share = weights[i] / w;
            double alpha = SRM_PRIOR_STRENGTH * share;
            logFactor += lnGamma(alpha + observed[i]) - lnGamma(alpha) - observed[i] * Math.log(share);
        }
        return Math.min(1, Math.exp(-logFactor));
    }

    /**
     * The mixture sequential probability ratio test of a treatment against the control, from the
     * current totals.
     *
     * @param pValue the always-valid p-value: the probability, were there no difference, that the
     *               test would ever, at any look, have shown evidence this strong
     * @param low95  the 95 % confidence sequence of the difference p_t - p_c at this look
     * @param tau    the standard deviation of the mixing distribution over the difference
     */
    public record Sequential(double pValue, double low95, double high95, double tau) {

        /** True when this look rejects "no difference" at {@link #ALPHA}; the interval then excludes 0. */
        public boolean significant() {
            return pValue < ALPHA;
        }
    }

    /**
     * The mixing rule: tau, the standard deviation of the normal mixing distribution N(0, tau²)
     * over the difference theta = p_t - p_c, is the smallest difference the team wants to detect,
     * {@code minimumDetectableLift} times the pooled rate of both arms (the rate both arms share
     * when there is no difference). The mSPRT is most powerful against differences of about tau's
     * size (Johari et al., section 4.3), so tau follows the effect the team named rather than a
     * constant that would suit one base rate only.
     *
     * @return 0 when no one has converted yet (or everyone has): there is nothing to test
     */
    public static double mixingTau(long nc, long xc, long nt, long xt, double minimumDetectableLift) {
        if (nc + nt <= 0) {
            return 0;
        }
        double pooled = (double) (xc + xt) / (nc + nt);
        return pooled > 0 && pooled < 1 ? minimumDetectableLift * pooled : 0;
    }

    /**
     * ln Λ, the log of the mixture likelihood ratio of an observed difference {@code d} with
     * variance {@code v} against "no difference", mixed over theta ~ N(0, tau²):
     * Λ = sqrt(V / (V + tau²)) · exp(tau² d² / (2 V (V + tau²))).
     */
    public static double logMixtureLikelihoodRatio(double d, double v, double tau) {
        double t2 = tau * tau;
        return 0.5 * Math.log(v / (v + t2)) + t2 * d * d / (2 * v * (v + t2));
    }

    /**
     * The mixture sequential probability ratio test (mSPRT) for a difference of two proportions, in
     * its normal-mixture form: Johari, Koomen, Pekelis and Walsh, "Peeking at A/B tests" (KDD 2017)
     * and "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations Research 70(3),
     * 2022), the form of Optimizely's Stats Engine. With d the observed difference p_t - p_c and
     * V = p_c(1-p_c)/n_c + p_t(1-p_t)/n_t its variance, Λ = sqrt(V/(V+tau²)) ·
     * exp(tau² d² / (2V(V+tau²))) ({@link #logMixtureLikelihoodRatio}); under "no difference" Λ is
     * a martingale, so by Ville's inequality P(Λ ever reaches 1/α) ≤ α however often one looks.
     * For conversions this holds through the normal approximation, with V and tau estimated from the
     * running totals (plug-ins, as in the paper's treatment of Bernoulli data);
     * {@code PeekingSimulationTest} measures the false-positive rate that results under daily looks.
     * The p-value is min(1, 1/Λ); the confidence sequence is the set of differences the test would
     * not reject: d ± sqrt(V (V+tau²)/tau² · (2 ln(1/α) + ln((V+tau²)/V))). The formulas match
     * the Bernoulli case of the public R package erik-stenberg/mixtureSPRT ({@code src/test.cpp},
     * whose V_n = n·V counts pairs of users).
     *
     * <p>Stateless: the p-value and interval come from the current totals only, so they are the
     * running values, not the running minimum of the p-value nor the running intersection of the
     * intervals (which would need every earlier total, and would depend on when someone happened
     * to look). The guarantee is the same for the decision it serves: the chance that any look
     * ever shows p &lt; α under no difference is at most α. What is lost: a result that was
     * significant once may show p &gt; α later; it stays a valid finding.
     *
     * @return empty when either group has no users, or no one (or everyone) converted in both
     */
    public static java.util.Optional<Sequential> sequential(long nc, long xc, long nt, long xt, double tau) {
        if (nc <= 0 || nt <= 0) {
            return java.util.Optional.empty();
        }
        double pc = (double) xc / nc;
        double pt = (double) xt / nt;
        double v = pc * (1 - pc) / nc + pt * (1 - pt) / nt;
        if (v <= 0 || tau <= 0) {
            return java.util.Optional.empty();
        }
        double d = pt - pc;
        double t2 = tau * tau;
        double p = Math.min(1, Math.exp(-logMixtureLikelihoodRatio(d, v, tau)));
        double half = Math.sqrt(v * (v + t2) / t2 * (2 * Math.log(1 / ALPHA) + Math.log((v + t2) / v)));
        return java.util.Optional.of(new Sequential(p, d - half, d + half, tau));
    }

    /**
     * Users per variant that a two-sided two-proportion z-test at {@link #ALPHA} needs to detect a
     * relative lift of {@code minimumDetectableLift} over {@code controlRate} with 80 % power:
     * n = (z_{1-α/2} sqrt(2 p̄(1-p̄)) + z_{0.8} sqrt(p1(1-p1) + p2(1-p2)))² / (p2 - p1)², with
     * p1 the control rate, p2 = p1 (1 + lift) and p̄ their mean (Fleiss, Levin and Paik,
     * "Statistical Methods for Rates and Proportions", 3rd ed., eq. 4.14, without continuity
     * correction), rounded up.
     *
     * @return empty when the control rate is 0 or the lifted rate would reach 1
     */
    public static java.util.OptionalLong sampleSize(double controlRate, double minimumDetectableLift) {
        double p1 = controlRate;
        double p2 = controlRate * (1 + minimumDetectableLift);
        if (p1 <= 0 || p2 >= 1 || minimumDetectableLift <= 0) {
            return java.util.OptionalLong.empty();
        }
        double mean = (p1 + p2) / 2;
        double root = Z_95 * Math.sqrt(2 * mean * (1 - mean)) + Z_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return java.util.OptionalLong.of((long) Math.ceil(root * root / ((p2 - p1) * (p2 - p1))));
    }
}
