package dev.glint.api;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.social.Publishing;

import java.util.Map;

/**
 * What one user may do: writes and reads a second (token buckets in each container), and uploads
 * and posts a day (counted in the table). From optional environment variables, else the defaults.
 */
public record ApiLimits(RateLimiter.Limits writes, RateLimiter.Limits reads, Publishing.DailyQuotas daily) {

    /** Optional: writes a user may make per second once their burst is spent (default 10), and the burst (30). */
    public static final String ENV_WRITE_RATE = "GLINT_WRITE_RATE_PER_SECOND";
    public static final String ENV_WRITE_BURST = "GLINT_WRITE_BURST";
    /** Optional: reads a user may make per second once their burst is spent (default 25), and the burst (100). */
    public static final String ENV_READ_RATE = "GLINT_READ_RATE_PER_SECOND";
    public static final String ENV_READ_BURST = "GLINT_READ_BURST";
    /** Optional: posts (default 100) and uploads (300) a user may make a day. */
    public static final String ENV_DAILY_POSTS = "GLINT_DAILY_POSTS";
    public static final String ENV_DAILY_UPLOADS = "GLINT_DAILY_UPLOADS";

    public static final ApiLimits DEFAULTS = new ApiLimits(RateLimiter.Limits.WRITES, RateLimiter.Limits.READS,
            Publishing.DailyQuotas.DEFAULTS);

    /** The same limits with writes at this rate and burst. */
    public ApiLimits withWrites(double perSecond, int burst) {
        return new ApiLimits(new RateLimiter.Limits(perSecond, burst), reads, daily);
    }

    /** The same limits with reads at this rate and burst. */
    public ApiLimits withReads(double perSecond, int burst) {
        return new ApiLimits(writes, new RateLimiter.Limits(perSecond, burst), daily);
    }

    /** The same limits with these daily quotas. */
    public ApiLimits withDaily(int posts, int uploads) {
        return new ApiLimits(writes, reads, new Publishing.DailyQuotas(posts, uploads));
    }

    /** The environment variables that set these limits, as {@link #fromEnv} reads them. */
    public Map<String, String> toEnv() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put(ENV_WRITE_RATE, Double.toString(writes.ratePerSecond()));
        env.put(ENV_WRITE_BURST, Integer.toString(writes.burst()));
        env.put(ENV_READ_RATE, Double.toString(reads.ratePerSecond()));
        env.put(ENV_READ_BURST, Integer.toString(reads.burst()));
        env.put(ENV_DAILY_POSTS, Integer.toString(daily.posts()));
        env.put(ENV_DAILY_UPLOADS, Integer.toString(daily.uploads()));
        return env;
    }

    /** The limits the environment sets; a malformed one stops the function at init, naming it. */
    static ApiLimits fromEnv(Map<String, String> env) {
        try {
            return new ApiLimits(
                    new RateLimiter.Limits(number(env, ENV_WRITE_RATE, DEFAULTS.writes().ratePerSecond()),
                            (int) whole(env, ENV_WRITE_BURST, DEFAULTS.writes().burst())),
                    new RateLimiter.Limits(number(env, ENV_READ_RATE, DEFAULTS.reads().ratePerSecond()),
                            (int) whole(env, ENV_READ_BURST, DEFAULTS.reads().burst())),
                    new Publishing.DailyQuotas((int) whole(env, ENV_DAILY_POSTS, DEFAULTS.daily().posts()),
                            (int) whole(env, ENV_DAILY_UPLOADS, DEFAULTS.daily().uploads())));
        } catch (IllegalArgumentException e) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + ENV_WRITE_RATE + ", " + ENV_READ_RATE
                    + " must be positive numbers and " + ENV_WRITE_BURST + ", " + ENV_READ_BURST + ", " + ENV_DAILY_POSTS
                    + ", " + ENV_DAILY_UPLOADS + " whole numbers of at least 1");
        }
    }

    private static double number(Map<String, String> env, String name, double otherwise) {
        String value = env.get(name);
        return value == null || value.isBlank() ? otherwise : Double.parseDouble(value.trim());
    }

    private static long whole(Map<String, String> env, String name, long otherwise) {
        String value = env.get(name);
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.trim());
    }
}
