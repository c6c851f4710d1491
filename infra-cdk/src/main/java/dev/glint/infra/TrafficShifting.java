package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
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

    private final Map<String, LambdaDeploymentGroup> groups = new LinkedHashMap<>();
    private final LambdaApplication application;
    private final Function previewCheck;

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

        for (GlintFunctions.Deployed function : functions.all()) {
            String name = function.spec().name();
            var group = LambdaDeploymentGroup.Builder.create(this, DataResources.construct(name) + "DeploymentGroup")
                    .application(application)
                    .alias(function.live())
                    .role(role)
                    .deploymentConfig(settings.deploymentConfig())
                    .alarms(List.copyOf(alarms.rollbackAlarms(name)))
                    .autoRollback(AutoRollbackConfig.builder()
                            .failedDeployment(true)
                            .stoppedDeployment(true)
                            .deploymentInAlarm(true)
                            .build());
            if (function == api) {
                group.preHook(previewCheck);
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
                        List.of(Nag.regex("^Resource::<.*PreviewCheck[0-9A-F]{8}\\.Arn>:\\*$")))), true);
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
}
