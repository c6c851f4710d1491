package dev.glint.shared.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the function that sends email digests needs besides {@link GlintConfig}: the verified sender,
 * the app's URL for links, the key unsubscribe links are signed with, and on local stacks the SES
 * endpoint. A function without {@link #ENV_MAIL_FROM} sends no digests.
 *
 * @param secret the stage's unsubscribe secret ({@link #ENV_UNSUBSCRIBE_SECRET}; the local stack passes its
 *               cursor secret), from which the key of unsubscribe links is derived
 */
public record DigestSettings(String mailFrom, URI appUrl, String secret, Optional<URI> sesEndpoint) {

    /** The sender identity's address (SES), per stage. */
    public static final String ENV_MAIL_FROM = "GLINT_MAIL_FROM";
    /** Where users reach the app; digest links and unsubscribe links start with it. */
    public static final String ENV_APP_URL = "GLINT_APP_URL";
    /**
     * The secret (at least 32 characters) unsubscribe links are signed with: the sender (fan-out worker)
     * and the checker (api) need the same one.
     */
    public static final String ENV_UNSUBSCRIBE_SECRET = "GLINT_UNSUBSCRIBE_SECRET";
    /** Local stacks only: where the SES v2 API answers. */
    public static final String ENV_SES_ENDPOINT = "GLINT_SES_ENDPOINT";

    /**
     * @return empty when the environment names no sender (this function sends no digests)
     * @throws GlintConfig.ConfigurationException naming every missing or malformed variable at once
     */
    public static Optional<DigestSettings> fromEnv(Map<String, String> env) {
        String from = env.get(ENV_MAIL_FROM);
        if (from == null || from.isBlank()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        URI app = url(env, ENV_APP_URL, true, problems);
        URI ses = url(env, ENV_SES_ENDPOINT, false, problems);
        String secret = env.get(ENV_UNSUBSCRIBE_SECRET);
        if (secret == null || secret.length() < 32) {
            problems.add(ENV_UNSUBSCRIBE_SECRET + " must have at least 32 characters (it signs unsubscribe links)");
        }
        if (!problems.isEmpty()) {
            throw new GlintConfig.ConfigurationException("Glint's digests are misconfigured: " + String.join("; ", problems));
        }
        return Optional.of(new DigestSettings(from.trim(), app, secret, Optional.ofNullable(ses)));
    }

    /** The variables that describe these settings, as a deployment or local stack sets them. */
    public Map<String, String> toEnv() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put(ENV_MAIL_FROM, mailFrom);
        env.put(ENV_APP_URL, appUrl.toString());
        env.put(ENV_UNSUBSCRIBE_SECRET, secret);
        sesEndpoint.ifPresent(uri -> env.put(ENV_SES_ENDPOINT, uri.toString()));
        return env;
    }

    private static URI url(Map<String, String> env, String name, boolean required, List<String> problems) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            if (required) {
                problems.add(name + " is not set");
            }
            return null;
        }
        Optional<URI> uri = GlintConfig.absoluteUrl(raw).filter(u -> "https".equals(u.getScheme()) || "http".equals(u.getScheme()));
        if (uri.isEmpty()) {
            problems.add(name + " is not an absolute http(s) URL (" + raw + ")");
        }
        return uri.orElse(null);
    }
}
