package dev.glint.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.shared.experiments.Experiment;
import dev.glint.shared.experiments.ExperimentAdmin;
import dev.glint.shared.experiments.ExperimentChangeStore;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.Statistics;
import dev.glint.shared.experiments.Variant;

import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.requireProduct;

/**
 * The experiment routes, for product teams only (the {@code product} group of the caller's token):
 * the experiments, and each one's results per revision from its rollups (one query); where the
 * stage keeps them in AppConfig, creating one, changing one (with the version seen in
 * {@code If-Match}) and each one's change log.
 */
final class ExperimentRoutes implements RouteGroup {

    /** A treatment whose two-sided p-value is below this is reported as significant. */
    static final double ALPHA = Statistics.ALPHA;

    /**
     * @param version the stored definitions' version, which a change sends back in {@code If-Match};
     *                absent where the stage's experiments are a file
     */
    record ExperimentsView(List<ExperimentView> items, Optional<Integer> version) {
    }

    /**
     * An experiment as listed; a stopped one also says why and who stopped it ({@code stoppedBy.id}
     * {@code system:guardrails} for the automatic stop), from the newest change of its log that
     * stopped it.
     */
    record ExperimentView(String id, String description, String status, List<Variant> variants, String control,
                          List<String> metrics, String start, String end, int allocation, double minimumDetectableLift,
                          List<String> guardrails, Optional<String> stoppedReason, Optional<ActorView> stoppedBy) {
        static ExperimentView of(Experiments.Summary s, Optional<ExperimentChangeStore.Change> stop) {
            return new ExperimentView(s.id(), s.description(), s.status(), s.variants(), s.control(), s.metrics(),
                    s.start(), s.end(), s.allocation(), s.minimumDetectableLift(), s.guardrails(),
                    stop.map(ExperimentChangeStore.Change::reason), stop.map(c -> new ActorView(c.by(), Optional.ofNullable(c.handle()))));
        }
    }

    /** A change written: the experiment as it now is, the new version, what was recorded (absent: nothing changed). */
    record WrittenView(Experiments.Summary experiment, int version, Optional<ChangeView> change) {
    }

    record ChangesView(List<ChangeView> items) {
    }

    record ActorView(String id, Optional<String> handle) {
    }

    record FieldChangeView(JsonNode before, JsonNode after) {
    }

    record ChangeView(String at, int version, ActorView by, String action, Optional<String> reason,
                      Map<String, FieldChangeView> fields) {
    }

    /** The fields a new experiment may have, as the experiments file declares them. */
    static final Set<String> EXPERIMENT_FIELDS = Set.of("id", "description", "surface", "variants", "control",
            "metrics", "start", "end", "allocation", "minimumDetectableLift", "status", "guardrails");
    /** A change's reason, kept in the change log, at most this long. */
    static final int MAX_REASON = 500;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The version alone ({@code "7"}), or the list's ETag, which the version leads ({@code "7.<digest>"}). */
    private static final Pattern VERSION = Pattern.compile("(?:W/)?\"?([0-9]{1,9})(?:\\.[0-9a-f]{1,64})?\"?");

    /**
     * The current revision's results (its users only, its split checked against its weights), then
     * each earlier revision's, from before a change of weights or allocation.
     */
    record ResultsView(ExperimentView experiment, String revision, SampleRatioView sampleRatio,
                       List<MetricView> metrics, List<RevisionView> earlierRevisions, List<GuardrailView> guardrails) {
    }

    /**
     * One guardrail of one variant in the current revision: the rate (the p95 in ms for
     * {@code p95_latency}), what it is computed from, the one-sided always-valid p-value that the
     * variant is worse than the control (null for the control, and while it cannot be computed), and
     * whether it is degraded (what stops the experiment).
     */
    record GuardrailView(String metric, String variant, double value, long n, Double pValue, boolean degraded) {
    }

    record RevisionView(String revision, List<Variant> variants, SampleRatioView sampleRatio, List<MetricView> metrics) {
    }

    /**
     * {@code pValue} and {@code mismatch}: the chi-square, for one look; {@code alwaysValidPValue}: the test the
     * automatic stop makes at every check (it stops the experiment below {@code threshold}).
     */
    record SampleRatioView(double chiSquare, int degreesOfFreedom, double pValue, boolean mismatch, double threshold,
                           double alwaysValidPValue) {
    }

    record MetricView(String metric, List<VariantView> variants, SampleSizeView sampleSize) {
    }

    /** The users per variant a fixed-horizon test needs ({@code perVariant} null until the control converts). */
    record SampleSizeView(double minimumDetectableLift, double controlRate, Long perVariant, boolean reached) {
    }

    /**
     * A variant's counts; a treatment also has its comparison with the control: the fixed-horizon
     * fields ({@code lift} is null when the control converted no one) and {@code sequential} (null
     * while neither arm's rate varies).
     */
    record VariantView(String name, boolean control, long exposures, long conversions, double rate,
                       Optional<IntervalView> difference, Optional<Optional<IntervalView>> lift, Optional<Double> z,
                       Optional<Double> pValue, Optional<Boolean> significant,
                       Optional<Optional<SequentialView>> sequential) {
    }

    record IntervalView(double value, double low95, double high95) {
    }

    /** The always-valid p-value and 95 % confidence sequence of the difference, valid at any look. */
    record SequentialView(double pValue, double low95, double high95, boolean significant) {
    }

    private final Experiments experiments;
    private final ExperimentAdmin admin;
    private final ProfileStore profiles;

    /** @param admin null where the stage's experiments are a file: the write routes then refuse with 409 */
    ExperimentRoutes(Experiments experiments, ExperimentAdmin admin, ProfileStore profiles) {
        this.experiments = experiments;
        this.admin = admin;
        this.profiles = profiles;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/experiments", request -> {
            requireProduct(request, "Experiments");
            if (admin == null) {
                return HttpResponse.json(200, new ExperimentsView(experiments.list().stream()
                        .map(e -> ExperimentView.of(e, Optional.empty())).toList(), Optional.empty()));
            }
            // The stored definitions, which changes apply to; containers serve them within their poll interval.
            ExperimentAdmin.Current current = admin.current();
            Instant now = Instant.now();
            HttpResponse list = HttpResponse.json(200, new ExperimentsView(current.config().experiments().stream()
                    .map(e -> view(Experiments.summary(e, now))).toList(), Optional.of(current.version())));
            // A strong ETag led by the version, so a client may send it back in If-Match as HTTP has it.
            return list.withHeader("etag", HttpCaching.strong(current.version(), list.body()));
        }).add("POST", "/v1/experiments", this::create)
                .add("PATCH", "/v1/experiments/{id}", this::change)
                .add("GET", "/v1/experiments/{id}/changes", this::changes)
                .add("GET", "/v1/experiments/{id}/results", request -> {
            requireProduct(request, "Experiments");
            Experiments.Results results = experiments.results(request.pathParams().get("id"));
            return HttpResponse.json(200, results(results, view(results.experiment())));
        });
    }

    private HttpResponse create(HttpRequest request) {
        requireProduct(request, "Experiments");
        ExperimentAdmin managed = managed();
        JsonBody body = JsonBody.read(request, EXPERIMENT_FIELDS);
        OptionalInt ifMatch = ifMatch(request);
        ExperimentAdmin.Written written;
        try {
            written = managed.create(body.tree(), actor(request), ifMatch);
        } catch (ExperimentAdmin.VersionMismatch e) {
            throw new ApiException(412, "version_mismatch", e.getMessage());
        }
        return HttpResponse.json(201, written(written))
                .withHeader("location", "/v1/experiments/" + written.experiment().id());
    }

    private HttpResponse change(HttpRequest request) {
        requireProduct(request, "Experiments");
        ExperimentAdmin managed = managed();
        String id = experimentId(request);
        Set<String> allowed = new HashSet<>(ExperimentAdmin.CHANGEABLE);
        allowed.add("reason");
        JsonBody body = JsonBody.read(request, allowed);
        OptionalInt ifMatch = ifMatch(request);
        if (ifMatch.isEmpty()) {
            throw new ApiException(428, "precondition_required", "Send If-Match with the ETag GET /v1/experiments "
                    + "returned, or its \"version\" quoted (If-Match: \"3\"), so a change made since is not overwritten.");
        }
        String reason = body.optionalString("reason").orElse(null);
        if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON)) {
            throw new ApiException(400, "invalid_reason", "reason must be text of 1 to " + MAX_REASON + " characters.");
        }
        ObjectNode patch = body.tree().deepCopy();
        patch.remove("reason");
        ExperimentAdmin.Written written;
        try {
            written = managed.change(id, patch, actor(request), ifMatch, reason);
        } catch (ExperimentAdmin.VersionMismatch e) {
            throw new ApiException(412, "version_mismatch", e.getMessage());
        }
        return HttpResponse.json(200, written(written));
    }

    private HttpResponse changes(HttpRequest request) {
        requireProduct(request, "Experiments");
        ExperimentAdmin managed = managed();
        String id = experimentId(request);
        if (managed.current().config().find(id).isEmpty()) {
            throw new ApiException(404, "experiment_not_found", "No experiment '" + id + "'; GET /v1/experiments lists them.");
        }
        return HttpResponse.json(200, new ChangesView(managed.changes(id).stream().map(ExperimentRoutes::change).toList()));
    }

    private ExperimentAdmin managed() {
        if (admin == null) {
            throw new ApiException(409, "experiments_not_managed", "This stage's experiments are a file "
                    + "(infra-cdk/experiments/<stage>.json) rather than AppConfig: change them with a deploy.");
        }
        return admin;
    }

    private ExperimentAdmin.Actor actor(HttpRequest request) {
        String sub = caller(request);
        String handle = profiles == null ? null : profiles.find(sub, false).map(Profile::handle).orElse(null);
        return new ExperimentAdmin.Actor(sub, handle);
    }

    private static String experimentId(HttpRequest request) {
        String id = request.pathParams().get("id");
        if (id == null || !ID.matcher(id).matches()) {
            throw new ApiException(404, "experiment_not_found", "No experiment '" + id + "'; GET /v1/experiments lists them.");
        }
        return id;
    }

    /** The version in {@code If-Match}, empty when the header is absent. */
    static OptionalInt ifMatch(HttpRequest request) {
        String raw = request.headers().get("if-match");
        if (raw == null || raw.isBlank()) {
            return OptionalInt.empty();
        }
        var matcher = VERSION.matcher(raw.trim());
        if (!matcher.matches()) {
            throw new ApiException(400, "invalid_if_match", "If-Match must be the ETag GET /v1/experiments returned, "
                    + "or its \"version\" quoted (\"3\"); got " + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw));
        }
        return OptionalInt.of(Integer.parseInt(matcher.group(1)));
    }

    private static WrittenView written(ExperimentAdmin.Written written) {
        return new WrittenView(Experiments.summary(written.experiment(), Instant.now()), written.version(),
                Optional.ofNullable(written.change()).map(ExperimentRoutes::change));
    }

    private static ChangeView change(ExperimentChangeStore.Change change) {
        Map<String, FieldChangeView> fields = new LinkedHashMap<>();
        change.fields().forEach((name, value) -> fields.put(name, new FieldChangeView(value.before(), value.after())));
        return new ChangeView(change.at().toString(), change.version(),
                new ActorView(change.by(), Optional.ofNullable(change.handle())), change.action(),
                Optional.ofNullable(change.reason()), fields);
    }

    /**
     * A stopped experiment with the change that stopped it: one query of its change log (experiments
     * are few and rarely stopped; a running one costs nothing).
     */
    private ExperimentView view(Experiments.Summary summary) {
        if (admin == null || !Experiment.STOPPED.equals(summary.status())) {
            return ExperimentView.of(summary, Optional.empty());
        }
        return ExperimentView.of(summary, admin.changes(summary.id()).stream()
                .filter(c -> c.fields().containsKey("status")
                        && Experiment.STOPPED.equals(c.fields().get("status").after().asText()))
                .findFirst());
    }

    static ResultsView results(Experiments.Results results, ExperimentView experiment) {
        return new ResultsView(experiment, results.revision(), sampleRatio(results.sampleRatio()),
                metrics(results.metrics()), results.earlierRevisions().stream().map(r -> new RevisionView(r.revision(),
                        r.weights().entrySet().stream().map(w -> new Variant(w.getKey(), w.getValue())).toList(),
                        sampleRatio(r.sampleRatio()), metrics(r.metrics()))).toList(),
                results.guardrails().stream().map(g -> new GuardrailView(g.metric(), g.variant(), g.value(), g.n(),
                        g.pValue(), g.degraded())).toList());
    }

    private static SampleRatioView sampleRatio(Statistics.SampleRatio srm) {
        return new SampleRatioView(srm.chiSquare(), srm.degrees(), srm.pValue(), srm.mismatch(), Statistics.SRM_THRESHOLD,
                srm.alwaysValidPValue());
    }

    private static List<MetricView> metrics(List<Experiments.MetricResult> metrics) {
        return metrics.stream().map(metric -> new MetricView(metric.metric(),
                metric.variants().stream().map(ExperimentRoutes::variant).toList(), sampleSize(metric.sampleSize())))
                .toList();
    }

    private static SampleSizeView sampleSize(Experiments.SampleSize size) {
        return new SampleSizeView(size.minimumDetectableLift(), size.controlRate(), size.perVariant(), size.reached());
    }

    private static VariantView variant(Experiments.VariantResult variant) {
        Optional<Statistics.Comparison> c = Optional.ofNullable(variant.vsControl());
        return new VariantView(variant.name(), variant.control(), variant.exposures(), variant.conversions(),
                variant.rate(),
                c.map(x -> new IntervalView(x.difference(), x.differenceLow(), x.differenceHigh())),
                c.map(x -> Optional.ofNullable(x.lift()).map(lift -> new IntervalView(lift, x.liftLow(), x.liftHigh()))),
                c.map(Statistics.Comparison::z),
                c.map(Statistics.Comparison::pValue),
                c.map(x -> x.pValue() < ALPHA),
                c.map(x -> Optional.ofNullable(variant.sequential()).map(s -> new SequentialView(s.pValue(), s.low95(),
                        s.high95(), s.significant()))));
    }
}
