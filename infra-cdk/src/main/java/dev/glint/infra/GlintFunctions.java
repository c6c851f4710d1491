package dev.glint.infra;

import dev.glint.shared.aws.StreamFilter;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.aws.CognitoIdentityDirectory;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.FunctionSpec;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.VersionOptions;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage's functions, one per {@link GlintResources#FUNCTIONS} entry. A deploy that changes a
 * function publishes a new version of it (SnapStart snapshots it when it is published; a deploy
 * that changes nothing publishes nothing), and everything that calls a function calls its {@code live}
 * alias: the HTTP API, the queues' and the stream's event source mappings. CodeDeploy moves
 * {@code live} from the old version to the new one ({@link TrafficShifting}). The api function also
 * has a {@code preview} alias that always points at the newest version.
 *
 * <p>Each function has its own role with only the actions its code calls, listed explicitly on
 * the resources (and key prefixes) it calls them on: no data action on {@code *}.
 */
public final class GlintFunctions extends Construct {

    public static final String LIVE_ALIAS = "live";
    public static final String PREVIEW_ALIAS = "preview";
    /** Powertools logging names the service in every line with this variable. */
    static final String ENV_POWERTOOLS_SERVICE = "POWERTOOLS_SERVICE_NAME";
    /**
     * Queue consumers never run more copies than this, whatever the backlog: the table and the
     * buckets see a bounded write rate, and no account concurrency has to be reserved.
     */
    static final int WORKER_MAX_CONCURRENCY = 10;

    /** One deployed function: its code, the version this deploy published and its aliases. */
    public record Deployed(FunctionSpec spec, Function function, IVersion version, Alias live, LogGroup logs) {
    }

    private final Map<String, Deployed> deployed = new LinkedHashMap<>();
    private final Alias preview;

    public GlintFunctions(Construct scope, String id, StageSettings settings, DataResources data, FunctionCode code) {
        super(scope, id);
        Map<String, String> environment = environment(settings, data);
        var experiments = StageExperiments.forStage(settings.name());
        for (FunctionSpec spec : GlintResources.FUNCTIONS) {
            Map<String, String> own = new LinkedHashMap<>(environment);
            // The functions that serve experiments and count them run the stage's own, if it has a file.
            if (spec.equals(GlintResources.API_FUNCTION) || spec.equals(GlintResources.STREAM_PROCESSOR_FUNCTION)) {
                experiments.ifPresent(config -> own.put(ExperimentConfig.ENV_VAR, config.toJson()));
            }
            deployed.put(spec.name(), deploy(spec, settings, code, own, data.cursorSecret()));
        }

        Deployed api = function(GlintResources.API_FUNCTION.name());
        // The preview alias follows every new version at once; product teams try it by URL while
        // live traffic still goes where CodeDeploy says. Updated before live moves (see TrafficShifting).
        preview = Alias.Builder.create(this, "ApiPreviewAlias")
                .aliasName(PREVIEW_ALIAS)
                .version(api.version())
                .description("Always the newest version of the api function, reachable through the preview API")
                .build();
        api.live().getNode().addDependency(preview);

        grant(data);
        connectEventSources(data);
    }

    private Deployed deploy(FunctionSpec spec, StageSettings settings, FunctionCode code, Map<String, String> shared,
                            Secret cursorSecret) {
        String id = DataResources.construct(spec.name());
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .retention(settings.logRetention())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        // An own role instead of the AWSLambdaBasicExecutionRole managed policy: it may write to this
        // function's log group only.
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("The " + spec.name() + " function: only the actions it uses")
                .build();
        logs.grantWrite(role);

        Map<String, String> environment = new LinkedHashMap<>(shared);
        environment.put(ENV_POWERTOOLS_SERVICE, spec.name());
        if (spec.equals(GlintResources.API_FUNCTION)) {
            // CloudFormation resolves the secret at deploy time ({{resolve:secretsmanager:...}}): the value
            // is in the function's configuration, never in the template or the cloud assembly.
            environment.put(GlintResources.ENV_CURSOR_SECRET, cursorSecret.getSecretValue().unsafeUnwrap());
        }
        var builder = Function.Builder.create(this, id)
                .description("Glint " + spec.name())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(spec.handlerClass() + "::handleRequest")
                .code(code.forFunction(spec))
                .memorySize(spec.memoryMb())
                .timeout(Duration.seconds(spec.timeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .logGroup(logs)
                .role(role)
                .environment(environment);
        if (spec.equals(GlintResources.API_FUNCTION)) {
            if (settings.apiReservedConcurrency() > 0) {
                // Guaranteed and capped: a flood of requests cannot take the workers' concurrency, and the
                // per-container rate limits multiply by a known number (README, rate limits).
                builder.reservedConcurrentExecutions(settings.apiReservedConcurrency());
            }
            // Versions are never deleted by a stack update or rollback: a failed one can be put back behind
            // the preview alias for a look (infra-cdk/README.md, the preview URL).
            builder.currentVersionOptions(VersionOptions.builder().removalPolicy(RemovalPolicy.RETAIN).build());
        }
        if (spec.equals(GlintResources.FANOUT_WORKER_FUNCTION) && settings.apiReservedConcurrency() > 0) {
            // The heaviest writer (100 feed items a message): at most its event source's concurrency, and
            // exactly that much reserved, so the poller is never throttled into extra receives.
            builder.reservedConcurrentExecutions(WORKER_MAX_CONCURRENCY);
        }
        Function function = builder.build();
        // The warning asks for published versions: currentVersion below publishes one, and aliases use it.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Every change publishes a version (currentVersion) and the aliases point at it");
        NagSuppressions.addResourceSuppressions(function, List.of(Nag.rule("AwsSolutions-L1",
                "Glint's functions are built and tested for the java21 runtime, which SnapStart supports; moving to "
                        + "a newer Java runtime is a deliberate, tested change.")));
        NagSuppressions.addResourceSuppressions(role, List.of(Nag.rule("AwsSolutions-IAM5",
                "X-Ray's PutTraceSegments/PutTelemetryRecords and DynamoDB's ListStreams support no resource-level "
                        + "permission (Resource::*). Object ARNs name one key prefix of one bucket (uploads/*, "
                        + "exports/* or media/*), the only way to grant object actions under a prefix; every action is listed "
                        + "by its full name, no wildcard action.",
                List.of("Resource::*",
                        Nag.regex("^Resource::<.*Bucket[0-9A-F]{8}\\.Arn>/(uploads|exports|media)/\\*$")))), true);

        IVersion version = function.getCurrentVersion();
        Alias live = Alias.Builder.create(this, id + "LiveAlias")
                .aliasName(LIVE_ALIAS)
                .version(version)
                .description("The version that takes " + spec.name() + " traffic")
                .build();
        return new Deployed(spec, function, version, live, logs);
    }

    /** What every function reads at init (GlintConfig.fromEnv); AWS_REGION is Lambda's to set. */
    private static Map<String, String> environment(StageSettings settings, DataResources data) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(GlintResources.TABLE.envVar(), data.table().getTableName());
        for (var bucket : GlintResources.BUCKETS) {
            environment.put(bucket.envVar(), data.bucket(bucket.logicalName()).getBucketName());
        }
        for (QueueSpec queue : GlintResources.QUEUES) {
            environment.put(queue.envVar(), data.queue(queue.logicalName()).getQueueUrl());
        }
        settings.localStackEndpoint().ifPresent(endpoint -> environment.put(GlintResources.ENV_ENDPOINT, endpoint));
        return environment;
    }

    /** The DynamoDB actions each function's adapters call (dev.glint.shared.aws), on the table only. */
    static final List<String> API_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem",
            "dynamodb:DescribeTable");
    static final List<String> MEDIA_WORKER_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
            // a data export reads the handles of the people it lists, 100 a request
            "dynamodb:BatchGetItem");
    /** DeleteItem and ConditionCheckItem: approving follow requests, each a transaction as the api's approval. */
    static final List<String> FANOUT_WORKER_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
            "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem");
    static final List<String> STREAM_PROCESSOR_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem");

    /** Connections: open (Put), subscribe (a transaction of Update and Put), close (Get, then BatchWrite), a post's visibility (Get). */
    static final List<String> REALTIME_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem");

    /**
     * Least privilege, function by function: explicit actions, each the API an adapter of the function
     * calls, on the table itself (the media worker alone also queries gsi1, for account erasure), the objects under the prefixes the
     * function uses, and the queues it sends to. Transactions need the action of each item they hold
     * (Put, Update, Delete, and ConditionCheckItem for the api's "the profile exists" steps of a follow and
     * a new post); nothing calls Scan. The event sources add what
     * Lambda's pollers need (receive and delete messages, read the stream, send failures).
     */
    private void grant(DataResources data) {
        var table = data.table();
        var uploads = data.bucket(GlintResources.UPLOADS_BUCKET.logicalName());
        var media = data.bucket(GlintResources.MEDIA_BUCKET.logicalName());
        var mediaQueue = data.queue(GlintResources.MEDIA_QUEUE.logicalName());
        var fanoutQueue = data.queue(GlintResources.FANOUT_QUEUE.logicalName());

        Function api = function(GlintResources.API_FUNCTION.name()).function();
        allow(api, API_TABLE_ACTIONS, table.getTableArn());
        // Presigned URLs are signed with the api's credentials: S3 checks these grants when the client
        // uploads (PUT under uploads/) or shows a rendition (GET under media/). Publishing checks that
        // the upload arrived (HeadObject needs s3:GetObject).
        allow(api, List.of("s3:PutObject", "s3:GetObject"), uploads.arnForObjects(DataResources.UPLOAD_OBJECTS));
        allow(api, List.of("s3:GetObject"), media.arnForObjects(DataResources.MEDIA_OBJECTS));
        // A ready data export's download link is a presigned GET under exports/.
        allow(api, List.of("s3:GetObject"), uploads.arnForObjects(DataResources.EXPORT_OBJECTS));
        // GET /health asks each bucket where it is: a bucket-level read that lists no object.
        allow(api, List.of("s3:GetBucketLocation"), uploads.getBucketArn(), media.getBucketArn());
        // Publishing enqueues media jobs, following enqueues a back-fill; GET /health reads both depths.
        allow(api, List.of("sqs:SendMessage", "sqs:GetQueueAttributes"), mediaQueue.getQueueArn(), fanoutQueue.getQueueArn());

        Function mediaWorker = function(GlintResources.MEDIA_WORKER_FUNCTION.name()).function();
        allow(mediaWorker, MEDIA_WORKER_TABLE_ACTIONS, table.getTableArn());
        // The original is read, then deleted once its renditions are written (or it is refused).
        allow(mediaWorker, List.of("s3:GetObject", "s3:DeleteObject"), uploads.arnForObjects(DataResources.UPLOAD_OBJECTS));
        // Renditions are written; a deleted post's are listed and deleted under media/<post>/.
        allow(mediaWorker, List.of("s3:PutObject", "s3:DeleteObject"), media.arnForObjects(DataResources.MEDIA_OBJECTS));
        allowListing(mediaWorker, media, DataResources.MEDIA_OBJECTS);
        // A purge goes on page by page (media queue); a ready post is fanned out (fanout queue).
        allow(mediaWorker, List.of("sqs:SendMessage"), mediaQueue.getQueueArn(), fanoutQueue.getQueueArn());
        // Account erasure: the items that name a user elsewhere are found in gsi1 (Query on the index alone),
        // the user's originals listed under uploads/<user>/, and their sign-in deleted from this stage's pool.
        allow(mediaWorker, List.of("dynamodb:Query"), table.getTableArn() + "/index/"
                + GlintResources.TABLE.indexes().get(0).name());
        allowListing(mediaWorker, uploads, DataResources.UPLOAD_OBJECTS);
        allow(mediaWorker, List.of("cognito-idp:AdminDeleteUser"), data.userPool().getUserPoolArn());
        // Data exports: the photos are read from their renditions, the archive is stored under exports/<user>/
        // (and deleted if its export was erased meanwhile); erasure lists and deletes a user's archives.
        allow(mediaWorker, List.of("s3:GetObject"), media.arnForObjects(DataResources.MEDIA_OBJECTS));
        allow(mediaWorker, List.of("s3:PutObject", "s3:DeleteObject"), uploads.arnForObjects(DataResources.EXPORT_OBJECTS));
        allowListing(mediaWorker, uploads, DataResources.EXPORT_OBJECTS);
        mediaWorker.addEnvironment(CognitoIdentityDirectory.ENV_USER_POOL_ID, data.userPool().getUserPoolId());

        Function fanoutWorker = function(GlintResources.FANOUT_WORKER_FUNCTION.name()).function();
        allow(fanoutWorker, FANOUT_WORKER_TABLE_ACTIONS, table.getTableArn());
        // Fan-out is resumable: a worker enqueues the next page of followers as a new message.
        allow(fanoutWorker, List.of("sqs:SendMessage"), fanoutQueue.getQueueArn());

        Function streamProcessor = function(GlintResources.STREAM_PROCESSOR_FUNCTION.name()).function();
        allow(streamProcessor, STREAM_PROCESSOR_TABLE_ACTIONS, table.getTableArn());
        // A deleted post's purge is asked for on the media queue.
        allow(streamProcessor, List.of("sqs:SendMessage"), mediaQueue.getQueueArn());

        // The WebSocket routes keep connections in the table; the authorizer calls no AWS service.
        allow(function(GlintResources.REALTIME_FUNCTION.name()).function(), REALTIME_TABLE_ACTIONS, table.getTableArn());
    }

    /**
     * Beta and prod: the api signs media URLs for the edge's distribution (CloudFront signed URLs instead
     * of S3 presigned GETs) with the private key it reads once at init from the edge's secret, and may read
     * that secret and no other.
     */
    void signMediaUrlsFor(GlintEdge edge) {
        Function api = function(GlintResources.API_FUNCTION.name()).function();
        api.addEnvironment(GlintResources.ENV_MEDIA_URL, "https://" + edge.media().getDistributionDomainName() + "/");
        api.addEnvironment(GlintResources.ENV_MEDIA_KEY_PAIR_ID, edge.mediaSigningKey().getPublicKeyId());
        api.addEnvironment(GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET, edge.mediaSigningKeySecret().getSecretArn());
        allow(api, List.of("secretsmanager:GetSecretValue"), edge.mediaSigningKeySecret().getSecretArn());
    }

    /**
     * Every stage: the api serves the web page its configuration ({@code GET /config.json}) from these
     * variables: the managed login's base URL and the web app client the page signs in through (the
     * authorization code flow with PKCE), and the WebSocket stage's {@code wss://} URL. The local dev
     * sign-in ({@link GlintResources#ENV_WEB_DEV_SIGN_IN}) is never offered by a deployed stage.
     */
    void configureWebClient(DataResources data, GlintApis apis, GlintRealtime realtime) {
        Function api = function(GlintResources.API_FUNCTION.name()).function();
        api.addEnvironment(GlintResources.ENV_WEB_SIGN_IN_URL, data.signInUrl());
        api.addEnvironment(GlintResources.ENV_WEB_CLIENT_ID, apis.webClient().getUserPoolClientId());
        api.addEnvironment(GlintResources.ENV_WEB_REALTIME_URL, realtime.stage().getUrl());
    }

    private static void allow(Function function, List<String> actions, String... resources) {
        function.addToRolePolicy(PolicyStatement.Builder.create().actions(actions).resources(List.of(resources)).build());
    }

    /** Listing a bucket's keys under one prefix only ({@code s3:prefix} as {@code StringLike}). */
    private static void allowListing(Function function, IBucket bucket, String prefix) {
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(prefix))))
                .build());
    }

    /** Event sources call the live alias, so a canary splits batches the way it splits requests. */
    private void connectEventSources(DataResources data) {
        for (QueueSpec queue : GlintResources.QUEUES) {
            function(queue.consumerFunction()).live().addEventSource(new SqsEventSource(data.queue(queue.logicalName()),
                    software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps.builder()
                            .batchSize(queue.batchSize())
                            .reportBatchItemFailures(true)
                            .maxConcurrency(WORKER_MAX_CONCURRENCY)
                            .build()));
        }
        var stream = GlintResources.STREAM_CONSUMER;
        function(stream.function()).live().addEventSource(new DynamoEventSource(data.table(),
                software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps.builder()
                        .startingPosition(StartingPosition.TRIM_HORIZON)
                        .batchSize(stream.batchSize())
                        .retryAttempts(stream.maxRetryAttempts())
                        .reportBatchItemFailures(stream.reportBatchItemFailures())
                        .bisectBatchOnError(stream.bisectBatchOnFunctionError())
                        .onFailure(new SqsDlq(data.queue(stream.onFailure().logicalName())))
                        // Only the records the processor derives something from invoke it; the local poller filters alike.
                        .filters(StreamFilter.patterns().stream().map(GlintFunctions::filter).toList())
                        .build()));
    }

    /** A filter pattern as CDK's FilterCriteria takes it (it writes the pattern back as the same JSON). */
    private static Map<String, Object> filter(String pattern) {
        try {
            return FilterCriteria.filter(new com.fasterxml.jackson.databind.ObjectMapper().readValue(pattern,
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() { }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable stream filter pattern " + pattern, e);
        }
    }

    public Deployed function(String name) {
        Deployed function = deployed.get(name);
        if (function == null) {
            throw new IllegalArgumentException("no function " + name);
        }
        return function;
    }

    public List<Deployed> all() {
        return new ArrayList<>(deployed.values());
    }

    /** The api function's preview alias: the newest version, whatever live serves. */
    public Alias preview() {
        return preview;
    }
}
