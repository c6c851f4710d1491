package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.TimeBasedCanaryTrafficRoutingProps;
import software.amazon.awscdk.services.codedeploy.TrafficRouting;
import software.amazon.awscdk.services.codedeploy.LambdaApplication;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroup;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CodeDeploy moves each function's {@code live} alias to the version a deploy published: all at
 * once in dev, 10 % for 5 minutes and then the rest in beta and prod. The function's rollback
 * alarms ({@link GlintAlarms#rollbackAlarms}) are watched throughout; one in alarm stops the
 * deployment and CodeDeploy moves {@code live} back. Before any traffic moves, the api function's
 * deployment runs a hook that checks the preview API serves the new version healthy.
 *
 * <p>Left out on LocalStack, which does not run CodeDeploy: there the alias moves at once.
 */
public final class TrafficShifting extends Construct {

    static final String ENV_PREVIEW_URL = "PREVIEW_URL";
    static final String ENV_EXPECTED_VERSION = "EXPECTED_VERSION";
    static final String ENV_LIVE_URL = "LIVE_URL";
    /** The share of traffic a canary sends to the new version, as in CodeDeploy's predefined canaries. */
    static final int CANARY_PERCENT = 10;

    private final Map<String, LambdaDeploymentGroup> groups = new LinkedHashMap<>();
    private final LambdaApplication application;
    private final Function previewCheck;
    private final Function smokeCheck;

    public TrafficShifting(Construct scope, String id, StageSettings settings, GlintFunctions functions,
                           GlintAlarms alarms, GlintApis apis) {
        super(scope, id);
        application = LambdaApplication.Builder.create(this, "Application").build();
        // One service role for every deployment group of the stage.
        Role role = Role.Builder.create(this, "ServiceRole")
                .assumedBy(new ServicePrincipal("codedeploy.amazonaws.com"))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSCodeDeployRoleForLambdaLimited")))
                .build();


        GlintFunctions.Deployed api = functions.function(GlintResources.API_FUNCTION.name());
        previewCheck = previewCheck(settings, api, apis);
        smokeCheck = smokeCheck(settings, api, apis);

        for (GlintFunctions.Deployed function : functions.all()) {
            String name = function.spec().name();
            var group = LambdaDeploymentGroup.Builder.create(this, DataResources.construct(name) + "DeploymentGroup")
                    .application(application)
                    .alias(function.live())
                    .role(role)
                    .deploymentConfig(deploymentConfig(settings, name))
                    .alarms(List.copyOf(alarms.rollbackAlarms(name)))
                    .autoRollback(AutoRollbackConfig.builder()
                            .failedDeployment(true)
                            .stoppedDeployment(true)
                            .deploymentInAlarm(true)
                            .build());
            if (function == api) {
                group.preHook(previewCheck);
                group.postHook(smokeCheck);
            }
            groups.put(name, group.build());
        }
        // After the deployment groups: their grants create the role's default policy.
        NagSuppressions.addResourceSuppressions(role, List.of(Nag.rule("AwsSolutions-IAM4",
                "AWSCodeDeployRoleForLambdaLimited is AWS's minimal policy for CodeDeploy Lambda deployments "
                        + "(update aliases, read the alarms); the deployment groups add the hook's invoke permission.",
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited")),
                Nag.rule("AwsSolutions-IAM5",
                        "CodeDeploy invokes the pre-traffic hook by its qualified ARN; <hook ARN>:* names the hook's "
                                + "versions and nothing else.",
                        List.of(Nag.regex("^Resource::<.*(PreviewCheck|SmokeCheck)[0-9A-F]{8}\\.Arn>:\\*$")))), true);
    }

    /**
     * The stage's deployment config, except that a worker's canary bakes long enough for a message
     * that failed on the new version to be retried and counted ({@link CanaryBake}).
     */
    private ILambdaDeploymentConfig deploymentConfig(StageSettings settings, String function) {
        var queue = GlintResources.QUEUES.stream().filter(q -> q.consumerFunction().equals(function)).findFirst();
        if (!settings.canary() || queue.isEmpty() || CanaryBake.bakeMinutes(queue.get()) == CanaryBake.STAGE_CANARY_MINUTES) {
            return settings.deploymentConfig();
        }
        return LambdaDeploymentConfig.Builder.create(this, DataResources.construct(function) + "Canary")
                .trafficRouting(TrafficRouting.timeBasedCanary(TimeBasedCanaryTrafficRoutingProps.builder()
                        .percentage(CANARY_PERCENT)
                        .interval(Duration.minutes(CanaryBake.bakeMinutes(queue.get())))
                        .build()))
                .build();
    }

    /**
     * The post-traffic hook: once all live traffic is on the new version, a read-only journey through
     * the live API (health from the new version, the API description, the web client, and a private
     * route that refuses a caller without a token). A failure rolls the deployment back.
     */
    private Function smokeCheck(StageSettings settings, GlintFunctions.Deployed api, GlintApis apis) {
        LogGroup logs = LogGroup.Builder.create(this, "SmokeCheckLogs")
                .retention(settings.logRetention())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        Role role = Role.Builder.create(this, "SmokeCheckRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("CodeDeploy hook: reads the live API, reports to its deployment")
                .build();
        logs.grantWrite(role);
        return Function.Builder.create(this, "SmokeCheck")
                .description("After live traffic moved: a read-only journey through the live API on the new api version")
                .runtime(Runtime.NODEJS_24_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(resource("smoke-check.js")))
                // Three rounds of four requests of at most 8 s each, then the report.
                .timeout(Duration.minutes(2))
                .memorySize(256)
                .logGroup(logs)
                .role(role)
                .environment(new TreeMap<>(Map.of(
                        ENV_LIVE_URL, apis.liveStage().getUrl(),
                        ENV_EXPECTED_VERSION, api.version().getVersion())))
                .build();
    }

    /** The hook: a small Node function (SDK v3 and fetch built in), checking the preview API. */
    private Function previewCheck(StageSettings settings, GlintFunctions.Deployed api, GlintApis apis) {
        LogGroup logs = LogGroup.Builder.create(this, "PreviewCheckLogs")
                .retention(settings.logRetention())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        Role role = Role.Builder.create(this, "PreviewCheckRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("CodeDeploy hook: reads the preview API, reports to its deployment")
                .build();
        logs.grantWrite(role);
        return Function.Builder.create(this, "PreviewCheck")
                .description("Before live traffic moves: the preview API serves the new api version, healthy")
                .runtime(Runtime.NODEJS_24_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(resource("preview-check.js")))
                // Ten probes of at most 8 s each, then the report: a hook that times out leaves CodeDeploy
                // waiting an hour for a status that never comes.
                .timeout(Duration.minutes(2))
                .memorySize(256)
                .logGroup(logs)
                .role(role)
                .environment(new TreeMap<>(Map.of(
                        ENV_PREVIEW_URL, apis.previewStage().getUrl(),
                        ENV_EXPECTED_VERSION, api.version().getVersion())))
                .build();
    }

    private static String resource(String name) {
        try (InputStream in = TrafficShifting.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + TrafficShifting.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LambdaDeploymentGroup group(String function) {
        return groups.get(function);
    }

    public LambdaApplication application() {
        return application;
    }

    public Function previewCheck() {
        return previewCheck;
    }

    public Function smokeCheck() {
        return smokeCheck;
    }
}
