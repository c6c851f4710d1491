package dev.glint.api;

import dev.glint.shared.health.HealthProbe;

import java.util.List;

/** What the API serves without a token: the web client, health, and the API's own description. */
final class PublicRoutes implements RouteGroup {

    private final HealthRoute health;
    private final WebClient web = WebClient.load();
    private final String openApi = OpenApi.document();

    PublicRoutes(List<HealthProbe> probes) {
        this.health = new HealthRoute(probes);
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/", request -> web.response())
                .add("GET", "/health", health::handle)
                .add("GET", "/openapi.yaml", request -> OpenApi.response(openApi));
    }
}
