package dev.glint.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What differs between stages: how traffic shifts, how hard the API is throttled, how long logs
 * and data are kept, which web origins may call, and where alarms go. Everything else is the same
 * in every stage, so what beta proves is what prod runs.
 *
 * @param name               the stage name; also the CDK Stage id, so stack names are {@code <name>-Glint}
 * @param canary             shift 10 % of traffic for 5 minutes before the rest; otherwise all at once
 * @param apiRateLimit       steady requests per second across the live API's routes
 * @param apiBurstLimit      burst allowance of the live API
 * @param logRetention       how long function and access logs are kept
 * @param retainData         keep the table, buckets and user pool when the stack is deleted
 * @param terminationProtection refuse {@code cdk destroy} of the whole stack
 * @param webOrigins         origins of the web client (CORS on the API and the buckets)
 * @param api5xxRatePercent  the share of 5xx answers that stops a deployment and rolls it back
 * @param alarmEmail         optional address subscribed to the stage's alarm topic
 * @param localStackEndpoint set for the LocalStack target: functions talk to this endpoint, and
 *                           CodeDeploy (which LocalStack does not run) is left out
 */
public record StageSettings(String name,
                            boolean canary,
                            int apiRateLimit,
                            int apiBurstLimit,
                            RetentionDays logRetention,
                            boolean retainData,
                            boolean terminationProtection,
                            List<String> webOrigins,
                            double api5xxRatePercent,
                            Optional<String> alarmEmail,
                            Optional<String> localStackEndpoint) {

    /** The shared stages; any other stage is a personal sandbox. */
    public static final List<String> SHARED_STAGES = List.of("dev", "beta", "prod");

    private static final Pattern SANDBOX = Pattern.compile("sandbox-[a-z0-9]{1,20}");
    /** The web client served by {@code ./glint up} and by a local dev server. */
    private static final List<String> LOCAL_ORIGINS = List.of("http://localhost:8080", "http://localhost:5173");

    public StageSettings {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("stage must be dev, beta, prod or sandbox-<name> (a-z, 0-9, at most 20), not '"
                    + name + "'");
        }
        webOrigins = List.copyOf(webOrigins);
        if (webOrigins.isEmpty()) {
            throw new IllegalArgumentException("stage " + name + " needs at least one web origin");
        }
    }

    /** The defaults of a stage: {@code dev}, {@code beta}, {@code prod} or {@code sandbox-<name>}. */
    public static StageSettings forStage(String name) {
        return switch (name) {
            case "prod" -> new StageSettings(name, true, 500, 1000, RetentionDays.THREE_MONTHS, true, true,
                    List.of("https://glint.example"), 1.0, Optional.empty(), Optional.empty());
            case "beta" -> new StageSettings(name, true, 50, 100, RetentionDays.ONE_MONTH, true, false,
                    List.of("https://beta.glint.example"), 5.0, Optional.empty(), Optional.empty());
            // dev and sandboxes: change fast, keep little, clean up completely on destroy.
            default -> new StageSettings(name, false, 25, 50, RetentionDays.ONE_WEEK, false, false,
                    LOCAL_ORIGINS, 5.0, Optional.empty(), Optional.empty());
        };
    }

    public static boolean isValidName(String name) {
        return name != null && (SHARED_STAGES.contains(name) || SANDBOX.matcher(name).matches());
    }

    /** {@code sandbox} alone means the caller's own sandbox: {@code sandbox-<user name>}. */
    public static String sandboxFor(String userName) {
        String cleaned = userName == null ? "" : userName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (cleaned.isEmpty()) {
            throw new IllegalArgumentException("cannot derive a sandbox name from user '" + userName + "'; pass -c stage=sandbox-<name>");
        }
        return "sandbox-" + cleaned.substring(0, Math.min(20, cleaned.length()));
    }

    public StageSettings withWebOrigins(List<String> origins) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, origins, api5xxRatePercent, alarmEmail, localStackEndpoint);
    }

    public StageSettings withAlarmEmail(String email) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, Optional.of(email), localStackEndpoint);
    }

    /** The same stage, built for LocalStack: functions use {@code endpoint}, no CodeDeploy. */
    public StageSettings forLocalStack(String endpoint) {
        return new StageSettings(name, canary, apiRateLimit, apiBurstLimit, logRetention, retainData,
                terminationProtection, webOrigins, api5xxRatePercent, alarmEmail, Optional.of(endpoint));
    }

    public boolean isLocalStack() {
        return localStackEndpoint.isPresent();
    }

    public ILambdaDeploymentConfig deploymentConfig() {
        return canary ? LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES : LambdaDeploymentConfig.ALL_AT_ONCE;
    }

    public RemovalPolicy dataRemovalPolicy() {
        return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    /** Preview is for trying a version by hand, not for load: a small fraction of the live limits. */
    public int previewRateLimit() {
        return Math.max(5, apiRateLimit / 10);
    }

    public int previewBurstLimit() {
        return Math.max(10, apiBurstLimit / 10);
    }
}
