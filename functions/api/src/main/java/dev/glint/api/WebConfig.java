package dev.glint.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.resources.GlintResources;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the web page needs to know of its stage, served as {@code /config.json}: how a person signs in
 * (the local dev issuer's form, Cognito's managed login, or both) and where the realtime socket is. Read
 * from the function's environment once, at start; a malformed value stops the function with a message
 * naming its variable, so a stage never serves a page that cannot sign in.
 *
 * @param devSignIn whether the local dev issuer's sign-in by name is offered ({@code POST /v1/dev/token}; the local stack only)
 * @param managed   Cognito's managed login (a user pool domain, or the local stack's emulation of it), if any
 * @param realtime  the WebSocket API's URL ({@code wss://}, or {@code ws://} on loopback), if any
 */
public record WebConfig(boolean devSignIn, Optional<ManagedLogin> managed, Optional<URI> realtime) {

    /** What the page asks the managed login for: an ID token with the user's email and name. */
    static final List<String> SCOPES = List.of("openid", "email", "profile");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Cognito app client id is 1 to 128 word characters; the local emulation's is a readable name of the same alphabet and dashes. */
    private static final Pattern CLIENT_ID = Pattern.compile("[\\w+\\-]{1,128}");

    /**
     * Cognito's managed login for the page's app client (a public client: authorization code flow with PKCE).
     *
     * @param url      the base URL: {@code https://<domain>.auth.<region>.amazoncognito.com}, a custom domain, or
     *                 the local emulation's {@code http://127.0.0.1:<port>}; its endpoints are {@code /oauth2/authorize},
     *                 {@code /oauth2/token} and {@code /logout}
     * @param clientId the app client's id
     */
    public record ManagedLogin(URI url, String clientId) {
    }

    public WebConfig {
        managed = managed == null ? Optional.empty() : managed;
        realtime = realtime == null ? Optional.empty() : realtime;
    }

    /** Nothing to offer: no dev issuer, no managed login, no socket (the page then says sign-in is not set up). */
    public static WebConfig none() {
        return new WebConfig(false, Optional.empty(), Optional.empty());
    }

    /**
     * From the environment: {@link GlintResources#ENV_WEB_SIGN_IN_URL} with {@link GlintResources#ENV_WEB_CLIENT_ID}
     * (both or neither), {@link GlintResources#ENV_WEB_REALTIME_URL}, and {@link GlintResources#ENV_WEB_DEV_SIGN_IN}
     * ({@code true} or {@code false}, default {@code false}). Every one is optional; an empty value is as good as unset.
     */
    public static WebConfig fromEnv(Map<String, String> env) {
        Optional<String> signIn = value(env, GlintResources.ENV_WEB_SIGN_IN_URL);
        Optional<String> clientId = value(env, GlintResources.ENV_WEB_CLIENT_ID);
        if (signIn.isPresent() != clientId.isPresent()) {
            throw misconfigured((signIn.isPresent() ? GlintResources.ENV_WEB_CLIENT_ID : GlintResources.ENV_WEB_SIGN_IN_URL)
                    + " must be set with " + (signIn.isPresent() ? GlintResources.ENV_WEB_SIGN_IN_URL : GlintResources.ENV_WEB_CLIENT_ID)
                    + ": the managed login needs its base URL and the page's app client id");
        }
        Optional<ManagedLogin> managed = signIn.map(url -> {
            String id = clientId.orElseThrow();
            if (!CLIENT_ID.matcher(id).matches()) {
                throw misconfigured(GlintResources.ENV_WEB_CLIENT_ID + " is not an app client id (1 to 128 letters, digits, '_', '+' or '-')");
            }
            return new ManagedLogin(url(GlintResources.ENV_WEB_SIGN_IN_URL, url, "https", "http"), id);
        });
        Optional<URI> realtime = value(env, GlintResources.ENV_WEB_REALTIME_URL)
                .map(url -> url(GlintResources.ENV_WEB_REALTIME_URL, url, "wss", "ws"));
        String dev = value(env, GlintResources.ENV_WEB_DEV_SIGN_IN).orElse("false");
        if (!dev.equals("true") && !dev.equals("false")) {
            throw misconfigured(GlintResources.ENV_WEB_DEV_SIGN_IN + " must be true or false, not " + dev);
        }
        return new WebConfig(Boolean.parseBoolean(dev), managed, realtime);
    }

    /** The variables that give this configuration, for a process that hands it on (the local stack's {@code stack.env}). */
    public Map<String, String> toEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(GlintResources.ENV_WEB_DEV_SIGN_IN, Boolean.toString(devSignIn));
        managed.ifPresent(m -> {
            env.put(GlintResources.ENV_WEB_SIGN_IN_URL, m.url().toString());
            env.put(GlintResources.ENV_WEB_CLIENT_ID, m.clientId());
        });
        realtime.ifPresent(url -> env.put(GlintResources.ENV_WEB_REALTIME_URL, url.toString()));
        return env;
    }

    /** The managed login's origin, for the page's {@code connect-src} (it fetches the token endpoint), or empty. */
    String signInOrigin() {
        return managed.map(m -> WebOrigins.origin(m.url())).orElse("");
    }

    /** The socket's origin, for {@code connect-src}, or empty. */
    String realtimeOrigin() {
        return realtime.map(WebOrigins::origin).orElse("");
    }

    /**
     * The document {@code /config.json} serves (schema {@code WebConfig} in openapi.yaml):
     * {@code {"signIn": {"devIssuer": bool, "managed": null | {"url", "clientId", "scopes"}}, "realtimeUrl": null | "wss://..."}}.
     */
    String json() {
        Map<String, Object> signIn = new LinkedHashMap<>();
        signIn.put("devIssuer", devSignIn);
        signIn.put("managed", managed.map(m -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("url", m.url().toString());
            out.put("clientId", m.clientId());
            out.put("scopes", SCOPES);
            return out;
        }).orElse(null));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("signIn", signIn);
        document.put("realtimeUrl", realtime.map(URI::toString).orElse(null));
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * An absolute URL the page can use as it is: the secure scheme, or the plain one on a loopback host only
     * (the local stack); a host; no query, fragment or user info; no trailing slash (the page appends paths).
     */
    private static URI url(String variable, String value, String secure, String loopbackOnly) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw misconfigured(variable + " is not a URL: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw misconfigured(variable + " must be an absolute " + secure + ":// URL with a host and no query, "
                    + "fragment or user info, not " + value);
        }
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!scheme.equals(secure) && !(scheme.equals(loopbackOnly) && loopback)) {
            throw misconfigured(variable + " must be a " + secure + ":// URL (" + loopbackOnly + ":// only on a loopback host), not " + value);
        }
        if (uri.getRawPath() != null && uri.getRawPath().endsWith("/")) {
            throw misconfigured(variable + " must not end with '/': " + value);
        }
        return uri;
    }

    private static GlintConfig.ConfigurationException misconfigured(String message) {
        return new GlintConfig.ConfigurationException("Glint is misconfigured: " + message);
    }
}
