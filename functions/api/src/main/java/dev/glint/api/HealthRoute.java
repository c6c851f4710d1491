package dev.glint.api;

import dev.glint.shared.health.HealthProbe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /health}: probes each component the API depends on and reports each one. */
final class HealthRoute {

    /** {@code status}: {@code ok}, or {@code degraded} when a component is down. */
    record HealthView(String status, Map<String, ComponentView> components) {
    }

    /** {@code status}: {@code ok} or {@code down}; {@code detail} carries no library message. */
    record ComponentView(String status, long latencyMs, String detail) {
    }

    private final List<HealthProbe> probes;

    HealthRoute(List<HealthProbe> probes) {
        this.probes = List.copyOf(probes);
    }

    HttpResponse handle(HttpRequest request) {
        Map<String, ComponentView> components = new LinkedHashMap<>();
        boolean healthy = true;
        for (HealthProbe probe : probes) {
            HealthProbe.Result result = probe.check();
            healthy &= result.healthy();
            components.put(probe.component(), new ComponentView(result.healthy() ? "ok" : "down",
                    result.latencyMillis(), result.detail()));
        }
        return HttpResponse.json(healthy ? 200 : 503, new HealthView(healthy ? "ok" : "degraded", components))
                .withHeader("cache-control", "no-store");
    }
}
