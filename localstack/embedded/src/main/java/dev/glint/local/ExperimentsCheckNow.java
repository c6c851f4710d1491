package dev.glint.local;

import dev.glint.fanoutworker.FanoutWorkerComposition;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentGuard;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code ./glint experiments check}: runs the experiments' automatic stop now against the running
 * local stack (its {@code stack.env}), through the fan-out worker's own guard over the same table and
 * the local AppConfig, and prints each experiment it stopped and why.
 */
public final class ExperimentsCheckNow {

    private ExperimentsCheckNow() {
    }

    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: ./glint experiments check");
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        GlintConfig config = GlintConfig.fromEnv(env);
        AppConfigLocation location = AppConfigLocation.fromEnv(env).orElseThrow(() -> new GlintConfig.ConfigurationException(
                AppConfigLocation.ENV_PROFILE + " is not set: run ./glint experiments check against a stack started by ./glint up"));
        ExperimentGuard guard = FanoutWorkerComposition.experimentGuard(AwsClients.fromEnvironment(config), location);
        print(guard.check(), System.out);
        System.exit(0);
    }

    static void print(List<ExperimentGuard.Stop> stops, PrintStream out) {
        out.printf("experiments checked: %d stopped%n", stops.size());
        for (ExperimentGuard.Stop stop : stops) {
            out.printf("  %-24s stopped: %s%n", stop.experimentId(), stop.reason());
        }
    }
}
