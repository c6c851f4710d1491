package dev.glint.lambda;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;

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
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + name + " is not set");
        }
        return value;
    }

    /** Configuration from the process environment, clients with Lambda's credentials. */
    public static AwsClients clients() {
        return AwsClients.fromEnvironment(GlintConfig.fromEnv(System.getenv()));
    }
}
