package dev.glint.local;

import dev.glint.fanoutworker.FanoutWorkerComposition;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.DigestSettings;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.digest.DigestFrequency;
import dev.glint.shared.digest.DigestJob;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code ./glint digest}: runs the email digest job now, for the current daily and weekly periods,
 * against the running local stack (its {@code stack.env}), through the fan-out worker's own job over
 * the same stores and the local SES, and prints each digest it sent. A second run in the same period
 * sends nothing (each user's period is claimed once).
 */
public final class DigestNow {

    private DigestNow() {
    }

    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: ./glint digest");
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        GlintConfig config = GlintConfig.fromEnv(env);
        DigestSettings settings = DigestSettings.fromEnv(env).orElseThrow(() -> new GlintConfig.ConfigurationException(
                DigestSettings.ENV_MAIL_FROM + " is not set: run ./glint digest against a stack started by ./glint up"));
        DigestJob job = FanoutWorkerComposition.digestJob(AwsClients.fromEnvironment(config), settings);
        System.exit(run(job, Instant.now(), settings, System.out) >= 0 ? 0 : 1);
    }

    /** @return how many digests were sent */
    static int run(DigestJob job, Instant now, DigestSettings settings, PrintStream out) {
        int total = 0;
        for (DigestFrequency frequency : List.of(DigestFrequency.DAILY, DigestFrequency.WEEKLY)) {
            List<DigestJob.Sent> sent = job.runNow(frequency, now);
            out.printf("%s digests for %s: %d sent%n", frequency.wire(),
                    dev.glint.shared.digest.DigestPeriod.of(frequency, now).label(), sent.size());
            for (DigestJob.Sent s : sent) {
                out.printf("  %-40s %-36s %3d notifications  message %s%n", s.email(), s.userId(), s.notifications(), s.messageId());
            }
            total += sent.size();
        }
        settings.sesEndpoint().ifPresent(ses -> out.println("(the local SES writes each message as an .eml file under the stack's data folder, mail/)"));
        return total;
    }
}
