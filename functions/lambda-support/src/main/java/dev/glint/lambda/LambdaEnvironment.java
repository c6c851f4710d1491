package dev.glint.lambda;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;

import java.util.Map;

/** What a handler's no-arg constructor reads: the configuration and clients of the environment it runs in. */
public final class LambdaEnvironment {

    private LambdaEnvironment() {
    }

    /**
     * A variable only some functions need.
     *
     * @throws GlintConfig.ConfigurationException naming it when it is not set
     */
    public static String required(String name) {
        return required(System.getenv(), name);
    }

    /** Configuration from the process environment, clients with Lambda's credentials. */
    public static AwsClients clients() {
        return AwsClients.fromEnvironment(GlintConfig.fromEnv(System.getenv()));
    }

    /**
     * A variable only some functions need, from the given environment (the local stack hands each
     * function the environment its template gives it, not the JVM's).
     *
     * @throws GlintConfig.ConfigurationException naming it when it is not set
     */
    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + name + " is not set");
        }
        return value;
    }
}
