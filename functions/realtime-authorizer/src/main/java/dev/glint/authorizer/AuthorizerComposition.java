package dev.glint.authorizer;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.resources.GlintResources;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the {@code realtime-authorizer} function is put together: the issuer, audience and key set of
 * the tokens it accepts, from {@link GlintResources#ENV_JWT_ISSUER}, {@link GlintResources#ENV_JWT_AUDIENCE}
 * (app client ids, separated by commas) and (optionally) {@link GlintResources#ENV_JWKS_URL}.
 */
public record AuthorizerComposition(JwtVerifier verifier) {

    public static AuthorizerComposition fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String issuer = env.get(GlintResources.ENV_JWT_ISSUER);
        String audience = env.get(GlintResources.ENV_JWT_AUDIENCE);
        if (issuer == null || issuer.isBlank()) {
            problems.add(GlintResources.ENV_JWT_ISSUER + " is not set");
        }
        if (audience == null || audience.isBlank()) {
            problems.add(GlintResources.ENV_JWT_AUDIENCE + " is not set");
        }
        String jwks = env.get(GlintResources.ENV_JWKS_URL);
        URI keys = null;
        if (problems.isEmpty()) {
            try {
                keys = URI.create(jwks == null || jwks.isBlank() ? issuer.trim().replaceAll("/+$", "") + "/.well-known/jwks.json" : jwks.trim());
                if (keys.getScheme() == null || keys.getHost() == null) {
                    problems.add("the key set URL is not absolute (" + keys + "): set " + GlintResources.ENV_JWKS_URL);
                }
            } catch (IllegalArgumentException e) {
                problems.add("the key set URL is not a URL: set " + GlintResources.ENV_JWKS_URL);
            }
        }
        if (!problems.isEmpty()) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + String.join("; ", problems));
        }
        Clock clock = Clock.systemUTC();
        java.util.Set<String> audiences = new java.util.LinkedHashSet<>();
        for (String one : audience.split(",")) {
            if (!one.isBlank()) {
                audiences.add(one.trim());
            }
        }
        return new AuthorizerComposition(new JwtVerifier(issuer.trim(), audiences, new HttpJwks(keys, clock), clock));
    }
}
