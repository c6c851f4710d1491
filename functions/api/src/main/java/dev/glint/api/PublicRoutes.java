package dev.glint.api;

import dev.glint.shared.health.HealthProbe;

import java.util.List;

/** What the API serves without a token: the web client (its pages, their files and its configuration), health, and the API's own description. */
final class PublicRoutes implements RouteGroup {

    private final HealthRoute health;
    private final WebClient web;
    private final String openApi = OpenApi.document();

    PublicRoutes(List<HealthProbe> probes, WebOrigins webOrigins, WebConfig webConfig) {
        this.health = new HealthRoute(probes);
        this.web = WebClient.load(webOrigins, webConfig);
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/", request -> web.app())
                .add("GET", "/console", request -> web.console())
                .add("GET", "/assets/{file}", request -> web.asset(request.pathParams().get("file")))
                .add("GET", "/config.json", request -> web.config())
                .add("GET", "/health", health::handle)
                .add("GET", "/openapi.yaml", request -> OpenApi.response(openApi));
    }
}
