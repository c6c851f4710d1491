package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./glint experiments}: prints the live results of every experiment of a stage, through the
 * API a product team uses ({@code GET /v1/experiments}, {@code GET /v1/experiments/{id}/results}).
 * Locally it mints a development token in the product group ({@code POST /v1/dev/token}); against
 * a deployed stage it uses the token in {@code GLINT_TOKEN} (an ID token of a product-group user).
 */
public final class ExperimentsTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI api;
    private final String token;

    ExperimentsTable(URI api, String token) {
        this.api = api;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String url = env.get("GLINT_API_URL");
        if (url == null || url.isBlank()) {
            System.err.println("glint experiments: no API: start ./glint up, or export GLINT_API_URL (and GLINT_TOKEN) for a stage");
            System.exit(2);
        }
        URI api = URI.create(url.endsWith("/") ? url : url + "/");
        String token = env.get("GLINT_TOKEN");
        if (token == null || token.isBlank()) {
            if (args.length > 0 && "--local".equals(args[0])) {
                token = localToken(api);
            } else {
                System.err.println("glint experiments: export GLINT_TOKEN, an ID token of a user in the product group");
                System.exit(2);
            }
        }
        try {
            new ExperimentsTable(api, token).print(System.out);
        } catch (IllegalStateException | IOException e) {
            System.err.println("glint experiments: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A development token in the product group, from the local stack's issuer. */
    static String localToken(URI api) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve("v1/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"glint-cli\",\"groups\":[\"product\"]}"))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the local stack gave no token (" + response.statusCode() + "): " + response.body());
        }
        return JSON.readTree(response.body()).path("token").asText();
    }

    void print(PrintStream out) throws IOException, InterruptedException {
        JsonNode list = get("v1/experiments");
        if (list.path("items").isEmpty()) {
            out.println("No experiments are configured.");
        }
        for (JsonNode experiment : list.path("items")) {
            String id = experiment.path("id").asText();
            JsonNode results = get("v1/experiments/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/results");
            out.printf(Locale.ROOT, "%s (%s, %s .. %s)%n", id, experiment.path("status").asText(),
                    experiment.path("start").asText(), experiment.path("end").asText());
            if (experiment.has("stoppedBy")) {
                out.printf(Locale.ROOT, "  stopped by %s: %s%n", experiment.path("stoppedBy").path("handle").asText(
                        experiment.path("stoppedBy").path("id").asText()), experiment.path("stoppedReason").asText("(no reason given)"));
            }
            revision(out, "revision " + results.path("revision").asText() + " (current)", results);
            guardrails(out, results.path("guardrails"));
            for (JsonNode earlier : results.path("earlierRevisions")) {
                StringBuilder weights = new StringBuilder();
                earlier.path("variants").forEach(v -> weights.append(weights.isEmpty() ? "" : "/").append(v.path("weight").asInt()));
                revision(out, "revision " + earlier.path("revision").asText() + " (earlier, weights " + weights + ")", earlier);
            }
            out.println();
        }
    }

    /** One revision's sample-ratio check and its table of metrics by variant. */
    private static void revision(PrintStream out, String title, JsonNode results) {
        JsonNode srm = results.path("sampleRatio");
        out.printf(Locale.ROOT, "  %s%n", title);
        out.printf(Locale.ROOT, "  sample ratio: chi-square %.3f, df %d, p %.4g -> %s%n", srm.path("chiSquare").asDouble(),
                srm.path("degreesOfFreedom").asInt(), srm.path("pValue").asDouble(),
                srm.path("mismatch").asBoolean() ? "MISMATCH: the split is broken, do not trust these results" : "ok");
        out.printf(Locale.ROOT, "  %-9s %-16s %10s %12s %8s  %-28s %-28s %s%n", "metric", "variant", "exposures",
                "conversions", "rate", "lift [95% CI]", "difference [95% CI]", "p-value (fixed horizon)");
        for (JsonNode metric : results.path("metrics")) {
            for (JsonNode variant : metric.path("variants")) {
                String lift = variant.path("control").asBoolean() ? "control" : interval(variant.path("lift"));
                String diff = variant.path("control").asBoolean() ? "" : interval(variant.path("difference"));
                String p = variant.path("control").asBoolean() ? "" : String.format(Locale.ROOT, "%.4g%s",
                        variant.path("pValue").asDouble(), variant.path("significant").asBoolean() ? " significant" : "");
                out.printf(Locale.ROOT, "  %-9s %-16s %,10d %,12d %7.2f%%  %-28s %-28s %s%n", metric.path("metric").asText(),
                        variant.path("name").asText(), variant.path("exposures").asLong(),
                        variant.path("conversions").asLong(), 100 * variant.path("rate").asDouble(), lift, diff, p);
                sequential(out, variant.path("sequential"));
            }
            sampleSize(out, metric.path("metric").asText(), metric.path("sampleSize"));
        }
    }

    /** The current revision's guardrails: each variant's value and its one-sided always-valid test. */
    private static void guardrails(PrintStream out, JsonNode guardrails) {
        if (!guardrails.isArray() || guardrails.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "  %-14s %-16s %12s %10s  %s%n", "guardrail", "variant", "value", "n",
                "p-value (worse than control, valid at any look)");
        for (JsonNode g : guardrails) {
            boolean latency = g.path("metric").asText().equals("p95_latency");
            String value = latency ? String.format(Locale.ROOT, "%.0f ms", g.path("value").asDouble())
                    : String.format(Locale.ROOT, "%.2f%%", 100 * g.path("value").asDouble());
            String p = g.path("pValue").isNull() ? "-" : String.format(Locale.ROOT, "%.4g%s", g.path("pValue").asDouble(),
                    g.path("degraded").asBoolean() ? " DEGRADED" : "");
            out.printf(Locale.ROOT, "  %-14s %-16s %12s %,10d  %s%n", g.path("metric").asText(), g.path("variant").asText(),
                    value, g.path("n").asLong(), p);
        }
    }

    /** A treatment's sequential test, under its fixed-horizon row: the figures valid at any look. */
    private static void sequential(PrintStream out, JsonNode sequential) {
        if (sequential.isMissingNode()) {
            return;
        }
        if (sequential.isNull()) {
            out.printf(Locale.ROOT, "  %-26s sequential: no conversion yet, nothing to test%n", "");
            return;
        }
        out.printf(Locale.ROOT, "  %-26s sequential (valid at any look): difference [95%% CS] [%+.1f%%, %+.1f%%], p %.4g%s%n",
                "", 100 * sequential.path("low95").asDouble(), 100 * sequential.path("high95").asDouble(),
                sequential.path("pValue").asDouble(), sequential.path("significant").asBoolean() ? " significant" : "");
    }

    /** The users per variant the fixed-horizon test needs for the experiment's minimum detectable lift. */
    private static void sampleSize(PrintStream out, String metric, JsonNode size) {
        if (size.isMissingNode()) {
            return;
        }
        String lift = String.format(Locale.ROOT, "a %+.0f%% lift over %.2f%%", 100 * size.path("minimumDetectableLift").asDouble(),
                100 * size.path("controlRate").asDouble());
        if (size.path("perVariant").isNull()) {
            out.printf(Locale.ROOT, "  %-9s sample size: none yet (no conversion in the control)%n", metric);
        } else {
            out.printf(Locale.ROOT, "  %-9s sample size: %,d users per variant for %s at 80%% power -> %s%n", metric,
                    size.path("perVariant").asLong(), lift, size.path("reached").asBoolean() ? "reached" : "not reached");
        }
    }

    private static String interval(JsonNode interval) {
        if (interval.isMissingNode() || interval.isNull()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.1f%% [%+.1f%%, %+.1f%%]", 100 * interval.path("value").asDouble(),
                100 * interval.path("low95").asDouble(), 100 * interval.path("high95").asDouble());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve(path)).GET()
                .header("authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /" + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
