package dev.glint.shared.config;

import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.resources.GlintResources;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a function needs to find its resources, read from the environment. Names come only
 * from here: no table, bucket or queue name is written anywhere else in the code.
 *
 * @param endpoints set only on local stacks, where the AWS services answer on loopback
 * @param experiments the stage's experiments ({@link ExperimentConfig#ENV_VAR}), else the shipped ones
 */
public record GlintConfig(String region,
                          String table,
                          String uploadsBucket,
                          String mediaBucket,
                          String mediaQueueUrl,
                          String fanoutQueueUrl,
                          Endpoints endpoints,
                          long celebrityThreshold,
                          ExperimentConfig experiments) {

    /** With the experiments shipped in the code. */
    public GlintConfig(String region, String table, String uploadsBucket, String mediaBucket, String mediaQueueUrl,
                       String fanoutQueueUrl, Endpoints endpoints, long celebrityThreshold) {
        this(region, table, uploadsBucket, mediaBucket, mediaQueueUrl, fanoutQueueUrl, endpoints, celebrityThreshold,
                ExperimentConfig.shipped());
    }

    /** The same configuration with other experiments. */
    public GlintConfig withExperiments(ExperimentConfig value) {
        return new GlintConfig(region, table, uploadsBucket, mediaBucket, mediaQueueUrl, fanoutQueueUrl, endpoints,
                celebrityThreshold, value);
    }

    /** Authors with at least this many followers are not fanned out; their posts are pulled at read time. */
    public static final long DEFAULT_CELEBRITY_THRESHOLD = 10_000;

    /**
     * Reads the configuration from environment variables (names in {@link GlintResources}).
     *
     * @throws ConfigurationException naming every missing or malformed variable at once
     */
    public static GlintConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String region = required(env, GlintResources.ENV_REGION, problems);
        String table = required(env, GlintResources.TABLE.envVar(), problems);
        String uploads = required(env, GlintResources.UPLOADS_BUCKET.envVar(), problems);
        String media = required(env, GlintResources.MEDIA_BUCKET.envVar(), problems);
        String mediaQueue = required(env, GlintResources.MEDIA_QUEUE.envVar(), problems);
        String fanoutQueue = required(env, GlintResources.FANOUT_QUEUE.envVar(), problems);
        Optional<URI> all = endpoint(env, GlintResources.ENV_ENDPOINT, problems);
        Endpoints endpoints = new Endpoints(
                endpoint(env, GlintResources.ENV_DYNAMODB_ENDPOINT, problems).or(() -> all),
                endpoint(env, GlintResources.ENV_SQS_ENDPOINT, problems).or(() -> all),
                endpoint(env, GlintResources.ENV_S3_ENDPOINT, problems).or(() -> all));
        long threshold = DEFAULT_CELEBRITY_THRESHOLD;
        String rawThreshold = env.get(GlintResources.ENV_CELEBRITY_THRESHOLD);
        if (rawThreshold != null && !rawThreshold.isBlank()) {
            try {
                threshold = Long.parseLong(rawThreshold.trim());
                if (threshold < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(GlintResources.ENV_CELEBRITY_THRESHOLD + " is not a positive whole number (" + rawThreshold + ")");
            }
        }
        ExperimentConfig experiments = null;
        try {
            experiments = ExperimentConfig.fromEnv(env);
        } catch (ExperimentConfig.InvalidExperiments e) {
            problems.add(ExperimentConfig.ENV_VAR + " is not a valid experiments file (" + String.join("; ", e.problems()) + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Glint is misconfigured: " + String.join("; ", problems));
        }
        return new GlintConfig(region, table, uploads, media, mediaQueue, fanoutQueue, endpoints, threshold, experiments);
    }

    /** The environment variables that describe this configuration, as a deployment or local stack sets them. */
    public Map<String, String> toEnv() {
        var env = new java.util.LinkedHashMap<String, String>();
        env.put(GlintResources.ENV_REGION, region);
        env.put(GlintResources.TABLE.envVar(), table);
        env.put(GlintResources.UPLOADS_BUCKET.envVar(), uploadsBucket);
        env.put(GlintResources.MEDIA_BUCKET.envVar(), mediaBucket);
        env.put(GlintResources.MEDIA_QUEUE.envVar(), mediaQueueUrl);
        env.put(GlintResources.FANOUT_QUEUE.envVar(), fanoutQueueUrl);
        env.put(GlintResources.ENV_CELEBRITY_THRESHOLD, Long.toString(celebrityThreshold));
        if (!experiments.equals(ExperimentConfig.shipped())) {
            env.put(ExperimentConfig.ENV_VAR, experiments.toJson());
        }
        endpoints.dynamoDb().ifPresent(uri -> env.put(GlintResources.ENV_DYNAMODB_ENDPOINT, uri.toString()));
        endpoints.sqs().ifPresent(uri -> env.put(GlintResources.ENV_SQS_ENDPOINT, uri.toString()));
        endpoints.s3().ifPresent(uri -> env.put(GlintResources.ENV_S3_ENDPOINT, uri.toString()));
        return env;
    }

    private static Optional<URI> endpoint(Map<String, String> env, String name, List<String> problems) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Optional<URI> uri = absoluteUrl(raw);
        if (uri.isEmpty()) {
            problems.add(name + " is not an absolute URL (" + raw + ")");
        }
        return uri;
    }

    /** A variable that, when set, names an absolute URL (an endpoint); empty when unset. */
    public static Optional<URI> optionalUrl(Map<String, String> env, String name) {
        List<String> problems = new ArrayList<>();
        Optional<URI> uri = endpoint(env, name, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Glint is misconfigured: " + problems.get(0));
        }
        return uri;
    }

    /** The text as an absolute URL (a scheme and a host), or empty. */
    public static Optional<URI> absoluteUrl(String raw) {
        try {
            URI uri = URI.create(raw.trim());
            if (uri.getScheme() != null && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // not a URL at all
        }
        return Optional.empty();
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add(name + " is not set");
            return null;
        }
        return value.trim();
    }

    /**
     * Where each service answers when it is not AWS itself. {@code GLINT_AWS_ENDPOINT} sets all three
     * (LocalStack's single edge port); the per-service variables win over it (the embedded stack).
     */
    public record Endpoints(Optional<URI> dynamoDb, Optional<URI> sqs, Optional<URI> s3) {
        public static Endpoints aws() {
            return new Endpoints(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Thrown at init when the environment does not describe a usable deployment. */
    public static final class ConfigurationException extends RuntimeException {
        public ConfigurationException(String message) {
            super(message);
        }
    }
}
