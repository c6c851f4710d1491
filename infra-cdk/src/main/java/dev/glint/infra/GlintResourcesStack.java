package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.List;
import java.util.Optional;

/**
 * Everything one stage runs, in one stack: the data resources built from {@link GlintResources},
 * the functions with their versions and aliases, the live and preview HTTP APIs (and the staged one
 * where there is an edge), alarms, traffic shifting, the dashboard and, in beta and prod, the edge.
 *
 * <p>One stack per stage, so nothing crosses a stack boundary: no exports, no export names, no
 * stack that cannot change because another imports from it. Stateful resources are protected by
 * their removal policies and, in beta and prod, deletion protection instead.
 */
public final class GlintResourcesStack extends Stack {

    private final DataResources data;
    private final GlintFunctions functions;
    private final GlintApis apis;
    private final GlintRealtime realtime;
    private final GlintAlarms alarms;
    private final GlintExperimentConfig experiments;
    private final TrafficShifting trafficShifting;
    private final GlintDashboard dashboard;
    private final GlintEdge edge;
    private final Optional<Stack> aclStack;

    public GlintResourcesStack(Construct scope, String id, StackProps props, StageSettings settings, FunctionCode code) {
        this(scope, id, props, settings, code, Optional.empty());
    }

    /** @param aclStack where the CloudFront web ACL goes when this stack is outside us-east-1 */
    public GlintResourcesStack(Construct scope, String id, StackProps props, StageSettings settings, FunctionCode code,
                               Optional<Stack> aclStack) {
        super(scope, id, props);
        this.aclStack = aclStack;
        data = new DataResources(this, "Data", settings);
        functions = new GlintFunctions(this, "Functions", settings, data, code);
        apis = new GlintApis(this, "Apis", settings, data, functions);
        new GlintDigests(this, "Digests", settings, data, functions);
        realtime = new GlintRealtime(this, "Realtime", settings, data, functions,
                List.of(apis.webClient(), apis.productClient(), apis.operatorClient()));
        functions.configureWebClient(data, apis, realtime);
        alarms = new GlintAlarms(this, "Alarms", settings, data, functions, apis);
        // The experiments at run time (LocalStack's emulation has no AppConfig: the stage's file serves there).
        experiments = settings.isLocalStack() ? null
                : new GlintExperimentConfig(this, "Experiments", settings, functions, alarms.api5xxRate());
        if (experiments != null) {
            new GlintExperimentChecks(this, "ExperimentChecks", data);
        }
        trafficShifting = settings.isLocalStack() ? null : new TrafficShifting(this, "TrafficShifting", settings, functions, alarms, apis);
        dashboard = new GlintDashboard(this, "Operations", settings, data, functions, apis, alarms);
        edge = settings.hasEdge() ? new GlintEdge(this, "Edge", settings, data, apis, realtime, code.webClient(), aclStack) : null;
        if (edge != null) {
            functions.signMediaUrlsFor(edge);
        }

        // Outputs, never exports: scripts read them from the stack (deploy.sh, the README's curl lines).
        output("ApiUrl", apis.liveStage().getUrl(), "The live API: the live alias of the api function");
        output("PreviewUrl", apis.previewStage().getUrl(), "The preview API: the newest api version, before it takes live traffic");
        output("ApiId", apis.live().getApiId(), "Id of the live HTTP API");
        output("PreviewApiId", apis.preview().getApiId(), "Id of the preview HTTP API");
        output("RealtimeUrl", realtime.stage().getUrl(), "The WebSocket API (wss://...): connect with ?token=<sign-in token>");
        output("UserPoolId", data.userPool().getUserPoolId(), "Cognito user pool that issues the API's tokens");
        output("UserPoolClientId", apis.webClient().getUserPoolClientId(), "The web client's id (the tokens' audience)");
        output("ProductClientId", apis.productClient().getUserPoolClientId(),
                "The product team's client: the only one whose access tokens may carry the preview scope");
        output("OperatorClientId", apis.operatorClient().getUserPoolClientId(),
                "The operators' client: admin-initiate-auth from the command line, live API only");
        output("SignInDomain", data.signInDomain().baseUrl(), "The hosted sign-in (authorization code flow with PKCE)");
        output("DashboardName", dashboard.dashboard().getDashboardName(), "CloudWatch dashboard of this stage");
        output("AlarmTopicArn", alarms.topic().getTopicArn(), "Topic every alarm of this stage notifies");
        if (edge != null) {
            output("SiteUrl", "https://" + edge.site().getDistributionDomainName() + "/",
                    "The stage's public URL (CloudFront and WAF): the web client at /, its API under /v1/; "
                            + "with -c domainName= the same site is at that name. Sign-in returns here: -c callbackUrls=<this>");
            output("MediaUrl", "https://" + edge.media().getDistributionDomainName() + "/",
                    "Media through CloudFront: signed URLs only");
            output("StagedApiUrl", apis.stagedStage().orElseThrow().getUrl(),
                    "The staged API: the newest api version (the preview alias) with ordinary tokens, for the edge's split");
            output("SplitStoreArn", edge.splitStore().getKeyValueStoreArn(),
                    "The CloudFront key-value store of the split (key api: the staged API's share in whole percent): "
                            + "./glint split --stage " + settings.name() + " api staged=10");
            output("MediaKeyGroupId", edge.mediaKeys().getKeyGroupId(), "The key group media URLs are signed for");
            output("MediaSigningKeySecretArn", edge.mediaSigningKeySecret().getSecretArn(),
                    "Put the PEM private key here: aws secretsmanager put-secret-value --secret-id <this> --secret-string file://<key>");
        }
        var failures = GlintResources.STREAM_CONSUMER.onFailure();
        output("StreamFailuresQueueUrl", data.queue(failures.logicalName()).getQueueUrl(),
                "Stream records the stream processor gave up on: " + failures.envVar() + " for ./glint dlq ... stream-failures");
        if (trafficShifting != null) {
            output("DeploymentApplication", trafficShifting.application().getApplicationName(),
                    "CodeDeploy application: aws deploy list-deployments --application-name <this>");
        }
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public DataResources data() {
        return data;
    }

    public GlintFunctions functions() {
        return functions;
    }

    public GlintApis apis() {
        return apis;
    }

    public GlintAlarms alarms() {
        return alarms;
    }

    /** Empty on LocalStack, which does not run CodeDeploy. */
    public Optional<TrafficShifting> trafficShifting() {
        return Optional.ofNullable(trafficShifting);
    }

    /** The us-east-1 stack of the web ACL, when this stack is in another region. */
    public Optional<Stack> aclStack() {
        return aclStack;
    }

    /** Beta and prod only. */
    public Optional<GlintEdge> edge() {
        return Optional.ofNullable(edge);
    }

    public GlintDashboard dashboard() {
        return dashboard;
    }
}
