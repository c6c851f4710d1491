package dev.glint.infra;

import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.resources.GlintResources;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.appconfig.CfnApplication;
import software.amazon.awscdk.services.appconfig.CfnConfigurationProfile;
import software.amazon.awscdk.services.appconfig.CfnDeployment;
import software.amazon.awscdk.services.appconfig.CfnDeploymentStrategy;
import software.amazon.awscdk.services.appconfig.CfnEnvironment;
import software.amazon.awscdk.services.appconfig.CfnHostedConfigurationVersion;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

import java.util.List;

/**
 * The stage's experiments in AWS AppConfig: an application, an environment whose deployments the
 * live API's 5xx alarm rolls back, a hosted configuration profile validated by a JSON Schema
 * ({@link ExperimentConfig#jsonSchema()}), the gradual strategy every change through the API deploys
 * with, and the first version (the stage's file, {@code infra-cdk/experiments/<stage>.json}, else the
 * shipped one) deployed at once. The api and the stream processor read the profile through
 * AppConfigData (their variables name it, {@link AppConfigLocation}); the api also creates hosted
 * versions and starts deployments, and so does the fan-out worker (the automatic stop), which reads
 * no deployed configuration; nothing else. The stage's file stays the functions' fallback
 * at cold start ({@code GLINT_EXPERIMENTS}).
 *
 * <p>The functions' permissions are policies of their own beside their roles: the environment
 * depends on the alarm, which watches the API, which invokes the functions, so the functions must not
 * wait for (depend on) anything that names the environment.
 */
final class GlintExperimentConfig extends Construct {

    /** Each step of a deployment reaches 20 % more of the containers' polls ... */
    static final int GROWTH_PERCENT = 20;
    /** ... over this long (5 steps, one every 2 minutes) ... */
    static final int DEPLOYMENT_MINUTES = 10;
    /** ... then the alarm is watched this long before the deployment is complete (and can still roll back). */
    static final int BAKE_MINUTES = 10;
    static final String PROFILE_NAME = "experiments";

    private final CfnApplication application;
    private final CfnEnvironment environment;
    private final CfnConfigurationProfile profile;
    private final CfnDeploymentStrategy strategy;

    GlintExperimentConfig(Construct scope, String id, StageSettings settings, GlintFunctions functions, IAlarm rollbackAlarm) {
        super(scope, id);
        String stage = settings.name();
        application = CfnApplication.Builder.create(this, "Application")
                .name("glint-" + stage)
                .description("Glint's run-time configuration for the " + stage + " stage: its experiments")
                .build();

        // AppConfig reads the alarm's state with this role while a deployment runs and bakes.
        Role alarmRole = Role.Builder.create(this, "RollbackAlarmRole")
                .assumedBy(new ServicePrincipal("appconfig.amazonaws.com"))
                .description("AppConfig reads the rollback alarm of experiment deployments")
                .build();
        alarmRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:DescribeAlarms"))
                .resources(List.of(rollbackAlarm.getAlarmArn()))
                .build());
        environment = CfnEnvironment.Builder.create(this, "Environment")
                .applicationId(application.getRef())
                .name(stage)
                .description("The " + stage + " stage; a deployment rolls back while the live API's 5xx alarm is on")
                .monitors(List.of(CfnEnvironment.MonitorsProperty.builder()
                        .alarmArn(rollbackAlarm.getAlarmArn())
                        .alarmRoleArn(alarmRole.getRoleArn())
                        .build()))
                .build();
        environment.getNode().addDependency(alarmRole);

        profile = CfnConfigurationProfile.Builder.create(this, "Profile")
                .applicationId(application.getRef())
                .name(PROFILE_NAME)
                .description("Experiment definitions (README, Experiments): changed through the API")
                .locationUri("hosted")
                .type("AWS.Freeform")
                .validators(List.of(CfnConfigurationProfile.ValidatorsProperty.builder()
                        .type("JSON_SCHEMA")
                        .content(ExperimentConfig.jsonSchema())
                        .build()))
                .build();

        strategy = CfnDeploymentStrategy.Builder.create(this, "GradualStrategy")
                .name("glint-" + stage + "-experiments-linear")
                .description("Experiment changes: " + GROWTH_PERCENT + " % more every " + DEPLOYMENT_MINUTES * GROWTH_PERCENT / 100
                        + " minutes, then " + BAKE_MINUTES + " minutes watching the rollback alarm")
                .growthType("LINEAR")
                .growthFactor(GROWTH_PERCENT)
                .deploymentDurationInMinutes(DEPLOYMENT_MINUTES)
                .finalBakeTimeInMinutes(BAKE_MINUTES)
                .replicateTo("NONE")
                .build();
        // The first version goes out at once: the stack waits for its deployment, and nothing serves it before.
        CfnDeploymentStrategy initial = CfnDeploymentStrategy.Builder.create(this, "InitialStrategy")
                .name("glint-" + stage + "-experiments-initial")
                .description("The stage's file, deployed once with the stack")
                .growthType("LINEAR")
                .growthFactor(100)
                .deploymentDurationInMinutes(0)
                .finalBakeTimeInMinutes(0)
                .replicateTo("NONE")
                .build();
        CfnHostedConfigurationVersion first = CfnHostedConfigurationVersion.Builder.create(this, "InitialVersion")
                .applicationId(application.getRef())
                .configurationProfileId(profile.getRef())
                .contentType("application/json")
                .content(StageExperiments.forStage(stage).orElse(ExperimentConfig.shipped()).toJson())
                .description("The stage's experiments file at the first deploy")
                .build();
        CfnDeployment.Builder.create(this, "InitialDeployment")
                .applicationId(application.getRef())
                .environmentId(environment.getRef())
                .configurationProfileId(profile.getRef())
                .configurationVersion(first.getRef())
                .deploymentStrategyId(initial.getRef())
                .description("The stage's experiments file")
                .build();

        String region = Stack.of(this).getRegion();
        String account = Stack.of(this).getAccount();
        String app = "arn:" + Stack.of(this).getPartition() + ":appconfig:" + region + ":" + account + ":application/"
                + application.getRef();
        String configuration = app + "/environment/" + environment.getRef() + "/configuration/" + profile.getRef();
        String profileArn = app + "/configurationprofile/" + profile.getRef();

        // The fan-out worker stops experiments automatically (ExperimentGuard): it reads the latest hosted
        // version and writes and deploys the next one, as the api does, but serves none, so it does not poll.
        for (var spec : List.of(GlintResources.API_FUNCTION, GlintResources.STREAM_PROCESSOR_FUNCTION,
                GlintResources.FANOUT_WORKER_FUNCTION)) {
            Function function = functions.function(spec.name()).function();
            boolean writes = !spec.equals(GlintResources.STREAM_PROCESSOR_FUNCTION);
            boolean serves = !spec.equals(GlintResources.FANOUT_WORKER_FUNCTION);
            new AppConfigLocation(application.getRef(), environment.getRef(), profile.getRef(),
                    writes ? java.util.Optional.of(strategy.getRef()) : java.util.Optional.empty(), java.util.Optional.empty(),
                    AppConfigLocation.DEFAULT_POLL).toEnv().forEach(function::addEnvironment);
            Policy policy = Policy.Builder.create(this, DataResources.construct(spec.name()) + "Experiments").build();
            if (serves) {
                policy.addStatements(PolicyStatement.Builder.create()
                        .sid("ReadExperiments")
                        .actions(List.of("appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"))
                        .resources(List.of(configuration))
                        .build());
            }
            if (writes) {
                policy.addStatements(PolicyStatement.Builder.create()
                                .sid("WriteExperimentVersions")
                                .actions(List.of("appconfig:ListHostedConfigurationVersions",
                                        "appconfig:CreateHostedConfigurationVersion"))
                                .resources(List.of(profileArn))
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("ReadExperimentVersions")
                                .actions(List.of("appconfig:GetHostedConfigurationVersion"))
                                .resources(List.of(profileArn + "/hostedconfigurationversion/*"))
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("DeployExperiments")
                                .actions(List.of("appconfig:StartDeployment"))
                                .resources(List.of(app + "/environment/" + environment.getRef(), profileArn,
                                        "arn:" + Stack.of(this).getPartition() + ":appconfig:" + region + ":" + account
                                                + ":deploymentstrategy/" + strategy.getRef()))
                                .build());
                NagSuppressions.addResourceSuppressions(policy, List.of(Nag.rule("AwsSolutions-IAM5",
                        "GetHostedConfigurationVersion names a version, and versions are created at run time by this "
                                + "function's own writes: the ARN pattern is every version of the one experiments profile "
                                + "of this stage, nothing else.",
                        List.of(Nag.regex("^Resource::arn:(<AWS::Partition>|aws):appconfig:.*:application/"
                                + "<ExperimentsApplication[0-9A-F]{8}>/configurationprofile/<ExperimentsProfile[0-9A-F]{8}>"
                                + "/hostedconfigurationversion/\\*$")))));
            }
            policy.attachToRole(function.getRole());
        }
    }

    CfnApplication application() {
        return application;
    }

    CfnEnvironment environment() {
        return environment;
    }

    CfnConfigurationProfile profile() {
        return profile;
    }

    CfnDeploymentStrategy strategy() {
        return strategy;
    }
}
