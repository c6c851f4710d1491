package dev.glint.shared.experiments;

import dev.glint.shared.ids.Digests;

import java.time.Instant;
import java.util.List;

/**
 * One A/B experiment, as the versioned configuration declares it.
 *
 * @param surface    where users are exposed to it (today only {@link #FEED}: the first page of the home feed)
 * @param variants   in declared order; each takes a contiguous range of buckets in proportion to its weight
 * @param control    the variant the others are compared with, and what users outside the experiment see
 * @param metrics    the actions that count as success ({@link #METRICS})
 * @param allocation the percentage of users in the experiment (1-100); the rest see the control, unexposed
 * @param minimumDetectableLift the smallest relative lift over the control's rate the team wants to
 *                   detect (0.1 = 10 %), for the sample size and the sequential test's mixing; null
 *                   when not declared ({@link #DEFAULT_MINIMUM_DETECTABLE_LIFT} applies)
 * @param stopped    set by a product team ({@code "status": "stopped"}): everyone is served the
 *                   control, nobody is exposed and nothing is counted, whatever the window says
 * @param guardrails the harm metrics watched while it runs ({@link #GUARDRAILS}); a variant that
 *                   degrades one against the control stops the experiment ({@link ExperimentGuard})
 */
public record Experiment(String id, String description, String surface, List<Variant> variants, String control,
                         List<String> metrics, Instant start, Instant end, int allocation,
                         Double minimumDetectableLift, boolean stopped, List<String> guardrails) {

    /** What a product team may set in {@code status}. */
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";

    /**
     * The minimum detectable lift of an experiment that declares none: 10 % relative. Relative, not
     * absolute, because one value then fits every metric of an experiment, whatever its base rate
     * (a like rate of 15 % and a post rate of 1 %).
     */
    public static final double DEFAULT_MINIMUM_DETECTABLE_LIFT = 0.10;

    public static final String FEED = "feed";
    /** Actions a conversion can be: an exposed user liked, commented or posted at least once. */
    public static final List<String> METRICS = List.of("likes", "comments", "posts");

    /**
     * Metrics that must not get worse: the api's 5xx share and 95th percentile latency of the
     * variant's users' requests, the share of their likes and follows they undo.
     */
    public static final String ERROR_RATE = "error_rate";
    public static final String P95_LATENCY = "p95_latency";
    public static final String UNLIKE_RATE = "unlike_rate";
    public static final String UNFOLLOW_RATE = "unfollow_rate";
    public static final List<String> GUARDRAILS = List.of(ERROR_RATE, P95_LATENCY, UNLIKE_RATE, UNFOLLOW_RATE);

    public Experiment {
        variants = List.copyOf(variants);
        metrics = List.copyOf(metrics);
        guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
    }

    /** An experiment without guardrails. */
    public Experiment(String id, String description, String surface, List<Variant> variants, String control,
                      List<String> metrics, Instant start, Instant end, int allocation, Double minimumDetectableLift,
                      boolean stopped) {
        this(id, description, surface, variants, control, metrics, start, end, allocation, minimumDetectableLift, stopped,
                List.of());
    }

    /** An experiment not stopped. */
    public Experiment(String id, String description, String surface, List<Variant> variants, String control,
                      List<String> metrics, Instant start, Instant end, int allocation, Double minimumDetectableLift) {
        this(id, description, surface, variants, control, metrics, start, end, allocation, minimumDetectableLift, false);
    }

    /** An experiment that declares no minimum detectable lift. */
    public Experiment(String id, String description, String surface, List<Variant> variants, String control,
                      List<String> metrics, Instant start, Instant end, int allocation) {
        this(id, description, surface, variants, control, metrics, start, end, allocation, null, false);
    }

    /** The declared minimum detectable lift, else the default. */
    public double detectableLift() {
        return minimumDetectableLift == null ? DEFAULT_MINIMUM_DETECTABLE_LIFT : minimumDetectableLift;
    }

    /**
     * Where the experiment is at a moment: {@code stopped} (by a product team), else {@code scheduled},
     * {@code running} or {@code ended} by its window.
     */
    public String status(Instant now) {
        if (stopped) {
            return STOPPED;
        }
        if (now.isBefore(start)) {
            return "scheduled";
        }
        return now.isBefore(end) ? "running" : "ended";
    }

    public boolean running(Instant now) {
        return "running".equals(status(now));
    }

    /** Whether any guardrail the api measures (requests' errors or latency) is watched. */
    public boolean watchesRequests() {
        return guardrails.contains(ERROR_RATE) || guardrails.contains(P95_LATENCY);
    }

    public int totalWeight() {
        return variants.stream().mapToInt(Variant::weight).sum();
    }

    /**
     * The assignment's revision: a digest of all that decides who is served which variant (the
     * variants in order with their weights, and the allocation). Changing any of it starts a new
     * revision, and exposures, conversions and results are kept per revision, so users moved by a
     * new weight are counted afresh in their new variant and each revision's split is checked
     * against its own weights.
     */
    public String revision() {
        StringBuilder basis = new StringBuilder("v1|");
        variants.forEach(v -> basis.append(v.name()).append('=').append(v.weight()).append(','));
        basis.append('|').append(allocation);
        return Digests.sha256Hex(basis.toString(), 6);
    }
}
