package dev.glint.api;

import dev.glint.shared.health.HealthProbe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /health}: probes each component the API depends on and reports each one. */
final class HealthRoute {

    private final List<HealthProbe> probes;

    HealthRoute(List<HealthProbe> probes) {
        this.probes = List.copyOf(probes);
    }

    HttpResponse handle(HttpRequest request) {
        Map<String, Object> components = new LinkedHashMap<>();
        boolean healthy = true;
        for (HealthProbe probe : probes) {
            HealthProbe.Result result = probe.check();
            healthy &= result.healthy();
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("status", result.healthy() ? "ok" : "down");
            component.put("latencyMs", result.latencyMillis());
            component.put("detail", result.detail());
            components.put(probe.component(), component);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("components", components);
        return HttpResponse.json(healthy ? 200 : 503, body).withHeader("cache-control", "no-store");
    }
}
