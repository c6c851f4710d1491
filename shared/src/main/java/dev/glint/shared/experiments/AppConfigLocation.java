package dev.glint.shared.experiments;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a stage's experiments live in AWS AppConfig, from the environment infra-cdk gives the
 * functions that read them (the api and the stream processor): the application, environment and
 * configuration profile, and for the api, which writes them, the deployment strategy. Absent (no
 * {@link #ENV_APPLICATION}), a function runs the experiments of its file ({@link ExperimentConfig#fromEnv}).
 *
 * @param strategy     the deployment strategy a write starts its deployment with (the api only)
 * @param endpoint     where both AppConfig APIs answer, on local stacks only
 * @param pollInterval how often a container asks for new definitions at most ({@link #DEFAULT_POLL})
 */
public record AppConfigLocation(String application, String environment, String profile, Optional<String> strategy,
                                Optional<URI> endpoint, Duration pollInterval) {

    public static final String ENV_APPLICATION = "GLINT_APPCONFIG_APPLICATION";
    public static final String ENV_ENVIRONMENT = "GLINT_APPCONFIG_ENVIRONMENT";
    public static final String ENV_PROFILE = "GLINT_APPCONFIG_PROFILE";
    public static final String ENV_STRATEGY = "GLINT_APPCONFIG_STRATEGY";
    public static final String ENV_ENDPOINT = "GLINT_APPCONFIG_ENDPOINT";
    public static final String ENV_POLL_SECONDS = "GLINT_APPCONFIG_POLL_SECONDS";
    /**
     * 30 s: AppConfig's guidance is to poll no more often than every 15 s (its smallest
     * {@code RequiredMinimumPollIntervalInSeconds}); 30 s keeps GetLatestConfiguration, a priced call, at
     * 2 a minute per warm container while a change reaches every container within half a minute of its deployment.
     */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(30);

    /**
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static Optional<AppConfigLocation> fromEnv(Map<String, String> env) {
        String application = env.get(ENV_APPLICATION);
        if (application == null || application.isBlank()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        String environment = env.get(ENV_ENVIRONMENT);
        String profile = env.get(ENV_PROFILE);
        if (environment == null || environment.isBlank()) {
            problems.add(ENV_ENVIRONMENT + " is not set (" + ENV_APPLICATION + " is)");
        }
        if (profile == null || profile.isBlank()) {
            problems.add(ENV_PROFILE + " is not set (" + ENV_APPLICATION + " is)");
        }
        Duration poll = DEFAULT_POLL;
        String rawPoll = env.get(ENV_POLL_SECONDS);
        if (rawPoll != null && !rawPoll.isBlank()) {
            try {
                long seconds = Long.parseLong(rawPoll.trim());
                if (seconds < 1 || seconds > 86_400) {
                    throw new NumberFormatException();
                }
                poll = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                problems.add(ENV_POLL_SECONDS + " must be a whole number of seconds from 1 to 86400 (" + rawPoll + ")");
            }
        }
        Optional<URI> endpoint = Optional.empty();
        String rawEndpoint = env.get(ENV_ENDPOINT);
        if (rawEndpoint != null && !rawEndpoint.isBlank()) {
            try {
                URI uri = URI.create(rawEndpoint.trim());
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                endpoint = Optional.of(uri);
            } catch (IllegalArgumentException e) {
                problems.add(ENV_ENDPOINT + " is not an absolute URL (" + rawEndpoint + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String strategy = env.get(ENV_STRATEGY);
        return Optional.of(new AppConfigLocation(application.trim(), environment.trim(), profile.trim(),
                Optional.ofNullable(strategy).map(String::trim).filter(s -> !s.isEmpty()), endpoint, poll));
    }

    /** The variables that describe this location. */
    public Map<String, String> toEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_APPLICATION, application);
        env.put(ENV_ENVIRONMENT, environment);
        env.put(ENV_PROFILE, profile);
        strategy.ifPresent(s -> env.put(ENV_STRATEGY, s));
        endpoint.ifPresent(uri -> env.put(ENV_ENDPOINT, uri.toString()));
        env.put(ENV_POLL_SECONDS, Long.toString(pollInterval.toSeconds()));
        return env;
    }
}
