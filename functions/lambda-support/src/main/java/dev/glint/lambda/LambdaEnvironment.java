package dev.glint.lambda;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;

/** What a handler's no-arg constructor reads: the configuration and clients of the environment it runs in. */
public final class LambdaEnvironment {

    private LambdaEnvironment() {
    }

    /** Configuration from the process environment, clients with Lambda's credentials. */
    public static AwsClients clients() {
        return AwsClients.fromEnvironment(GlintConfig.fromEnv(System.getenv()));
    }
}
