package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.glint.api.ApiComposition;
import dev.glint.api.ApiHandler;
import dev.glint.api.ApiLimits;
import dev.glint.api.WebConfig;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.fanoutworker.FanoutWorkerComposition;
import dev.glint.shared.config.DigestSettings;
import dev.glint.fanoutworker.FanoutWorkerHandler;
import dev.glint.lambda.LocalContext;
import dev.glint.local.iam.AwsActions;
import dev.glint.local.iam.DenyEndpoint;
import dev.glint.local.iam.IamGuard;
import dev.glint.local.iam.IamLedger;
import dev.glint.local.iam.PolicyEvaluator;
import dev.glint.local.template.CfnTemplate;
import dev.glint.mediaworker.MediaWorkerComposition;
import dev.glint.mediaworker.MediaWorkerHandler;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.resources.GlintResources;
import dev.glint.streamprocessor.StreamProcessorComposition;
import dev.glint.streamprocessor.StreamProcessorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole of Glint in one JVM, with no AWS account and no Docker: DynamoDB Local, ElasticMQ and
 * S3Proxy on loopback, the resources of {@link GlintResources}, the four functions' handlers, the
 * local API gateway in front of {@code api}, and Lambda-like pollers feeding the workers and the
 * stream processor.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);
    /** The sender of the local stack's digests (the local SES checks no identity). */
    static final String LOCAL_MAIL_FROM = "digest@glint.local";
    // DynamoDB Local accepts only letters and digits in access keys.
    static final String ACCESS_KEY = "glintlocal";
    static final String SECRET_KEY = "glintlocalsecret";
    /** The {@code iss} of tokens from the local issuer (Cognito's would be its user pool URL). */
    static final String ISSUER = "glint-local";

    /**
     * How to run the stack.
     *
     * @param gatewayPort 0 for any free port
     * @param dataDir     where state persists across restarts; {@code null} keeps everything in memory
     * @param prefix      prefix of every physical resource name
     * @param visibilityTimeoutOverride shortens queue visibility timeouts, so tests see retries quickly
     * @param decorator   wraps each function's handler (tests observe deliveries through it)
     * @param experiments the experiments the functions run with (as a stage's {@code GLINT_EXPERIMENTS} would set them)
     * @param experimentChecks how often an {@code experiments.check} goes on the fan-out queue (the stage's schedule's
     *                    job); zero: never
     */
    /**
     * How often {@code ./glint up} checks the running experiments: often enough to see a stop while trying
     * it. A test's stack checks none unless it asks ({@link Options#withExperimentChecks}), so a test that
     * plants a broken split to read its results is not stopped under it.
     */
    public static final Duration EXPERIMENT_CHECKS = Duration.ofMinutes(1);

    public record Options(int gatewayPort, Path dataDir, String prefix, Optional<Integer> visibilityTimeoutOverride,
                          LocalGateway.Limits limits, HandlerDecorator decorator, long celebrityThreshold,
                          List<ScopedInterceptor> interceptors, ExperimentConfig experiments,
                          ApiLimits apiLimits, Path template, Duration experimentChecks) {
        public static Options defaults() {
            return new Options(8080, null, "glint-local", Optional.empty(), LocalGateway.Limits.apiGateway(),
                    HandlerDecorator.NONE, GlintConfig.DEFAULT_CELEBRITY_THRESHOLD, List.of(), ExperimentConfig.shipped(),
                    ApiLimits.DEFAULTS, null, Duration.ZERO);
        }

        /** Runs the functions with these experiments instead of the shipped ones. */
        public Options withExperiments(ExperimentConfig value) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold,
                    interceptors, value, apiLimits, template, experimentChecks);
        }

        /**
         * The api's per-user write limits (the deployed defaults unless changed), e.g. raised for a
         * test that writes faster than a person would, or lowered to see 429s quickly.
         */
        public Options withWriteLimits(double perSecond, int burst) {
            return withApiLimits(apiLimits.withWrites(perSecond, burst));
        }

        /** The api's per-user read limits, likewise. */
        public Options withReadLimits(double perSecond, int burst) {
            return withApiLimits(apiLimits.withReads(perSecond, burst));
        }

        /** How many posts and uploads a user may make a day. */
        public Options withDailyQuotas(int posts, int uploads) {
            return withApiLimits(apiLimits.withDaily(posts, uploads));
        }

        private Options withApiLimits(ApiLimits value) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold,
                    interceptors, experiments, value, template, experimentChecks);
        }

        /** Adds an interceptor to every AWS client the functions use (request counting, fault injection). */
        public Options withInterceptor(ExecutionInterceptor interceptor) {
            return withFunctionInterceptor(ScopedInterceptor.EVERY_FUNCTION, interceptor);
        }

        /** Adds an interceptor to the AWS clients of one function only, e.g. to count what the api alone asks for. */
        public Options withFunctionInterceptor(String function, ExecutionInterceptor interceptor) {
            List<ScopedInterceptor> all = new java.util.ArrayList<>(interceptors);
            all.add(new ScopedInterceptor(function, interceptor));
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold, all, experiments, apiLimits, template, experimentChecks);
        }

        List<ExecutionInterceptor> interceptorsOf(String function) {
            return interceptors.stream().filter(i -> i.function().equals(ScopedInterceptor.EVERY_FUNCTION)
                    || i.function().equals(function)).map(ScopedInterceptor::interceptor).toList();
        }

        /**
         * Makes a share of every function's DynamoDB, S3 and SQS calls fail and adds latency (see
         * {@link FaultInjector}); the stack's own emulation of AWS (pollers, provisioning) and the
         * clients tests read state with stay fault-free.
         */
        public Options withFaults(FaultInjector faults) {
            Options out = this;
            for (var function : GlintResources.FUNCTIONS) {
                out = out.withFunctionInterceptor(function.name(), faults);
            }
            return out;
        }

        /** Lowers the celebrity threshold, so tests can make a celebrity with a few followers. */
        public Options withCelebrityThreshold(long followers) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, followers, interceptors, experiments, apiLimits, template, experimentChecks);
        }

        public Options withGatewayPort(int port) {
            return new Options(port, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold, interceptors, experiments, apiLimits, template, experimentChecks);
        }

        public Options withDataDir(Path dir) {
            return new Options(gatewayPort, dir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold, interceptors, experiments, apiLimits, template, experimentChecks);
        }

        public Options withPrefix(String value) {
            return new Options(gatewayPort, dataDir, value, visibilityTimeoutOverride, limits, decorator, celebrityThreshold, interceptors, experiments, apiLimits, template, experimentChecks);
        }

        public Options withVisibilityTimeout(int seconds) {
            return new Options(gatewayPort, dataDir, prefix, Optional.of(seconds), limits, decorator, celebrityThreshold, interceptors, experiments, apiLimits, template, experimentChecks);
        }

        public Options withLimits(LocalGateway.Limits value) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, value, decorator, celebrityThreshold, interceptors, experiments, apiLimits, template, experimentChecks);
        }

        /**
         * Starts the stack from a synthesized CloudFormation template instead of {@link GlintResources}
         * (template mode): resources, functions' environments, event sources, routes and authorizer
         * from the template, and each function's IAM role enforced on its AWS calls.
         */
        public Options withTemplate(Path file) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold,
                    interceptors, experiments, apiLimits, file, experimentChecks);
        }

        /**
         * How often the stack puts an {@code experiments.check} on the fan-out queue, as the stage's
         * schedule does every 15 minutes; {@link Duration#ZERO}: never (a test or {@code ./glint
         * experiments check} asks).
         */
        public Options withExperimentChecks(Duration every) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, decorator, celebrityThreshold,
                    interceptors, experiments, apiLimits, template, every);
        }

        public Options withDecorator(HandlerDecorator value) {
            return new Options(gatewayPort, dataDir, prefix, visibilityTimeoutOverride, limits, value, celebrityThreshold, interceptors, experiments, apiLimits, template, experimentChecks);
        }
    }

    /** An interceptor for the clients of one function, or of every function. */
    public record ScopedInterceptor(String function, ExecutionInterceptor interceptor) {
        public static final String EVERY_FUNCTION = "*";
    }

    /** Wraps a function's handler; the identity by default. */
    public interface HandlerDecorator {
        HandlerDecorator NONE = new HandlerDecorator() {
            @Override
            public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
                return handler;
            }
        };

        <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler);
    }

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private GlintConfig config;
    private AwsClients clients;
    private LocalGateway gateway;
    private LocalJwtIssuer issuer;
    private Provisioner.Provisioned provisioned;
    private final Map<String, SqsPoller> sqsPollers = new LinkedHashMap<>();
    private final LocalMetrics metrics = new LocalMetrics();
    private StreamPoller streamPoller;
    private String cursorSecret;
    private URI dynamoEndpoint;
    private URI sqsEndpoint;
    private URI s3Endpoint;
    private IamLedger iamLedger;
    private LocalSesServer ses;
    private LocalAppConfigServer appConfig;
    /** How often the local functions ask for new experiments: short, so a change shows at once. */
    static final java.time.Duration APPCONFIG_POLL = java.time.Duration.ofSeconds(1);
    /** The api flushes its guardrail counts every second locally (every 30 s deployed), so checks see them soon. */
    static final java.time.Duration GUARDRAIL_FLUSH = java.time.Duration.ofSeconds(1);
    private DigestSettings digestSettings;

    private EmbeddedStack() {
    }

    /** The local WebSocket API's stage: the management endpoint is {@code http://127.0.0.1:<port>/local}. */
    static final String REALTIME_STAGE = "local";
    private LocalConnections connections;
    private LocalWebSocketGateway webSockets;

    /**
     * The WebSocket API in front of the {@code realtime} function, its {@code $connect} authorizer
     * verifying the local issuer's tokens by the key set the gateway serves, as it would Cognito's.
     */
    private void startWebSockets(HandlerDecorator decorate, AwsClients realtimeClients) throws InterruptedException {
        var realtime = decorate.decorate(GlintResources.REALTIME_FUNCTION.name(),
                new dev.glint.realtime.RealtimeHandler(dev.glint.realtime.RealtimeComposition.of(realtimeClients)));
        var authorizer = decorate.decorate(GlintResources.REALTIME_AUTHORIZER_FUNCTION.name(),
                new dev.glint.authorizer.AuthorizerHandler(dev.glint.authorizer.AuthorizerComposition.fromEnvironment(Map.of(
                        GlintResources.ENV_JWT_ISSUER, issuer.issuer(),
                        GlintResources.ENV_JWT_AUDIENCE, LocalJwtIssuer.AUDIENCE,
                        GlintResources.ENV_JWKS_URL, gateway.endpoint() + "/.well-known/jwks.json")).verifier()));
        webSockets = register(LocalWebSocketGateway.start(authorizer, realtime, connections, REALTIME_STAGE));
    }

    private LocalManagedLogin managedLogin;
    private WebConfig webConfig;

    /**
     * The api handler the gateway calls, set once the api is built: until then (the few milliseconds of the
     * boot between the gateway's port and the api's composition, before the stack is announced) a call fails.
     */
    private static final class DeferredApi implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        private volatile RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;

        void serve(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> value) {
            api = value;
        }

        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            var target = api;
            if (target == null) {
                throw new IllegalStateException("the api function is not built yet: the stack is still starting");
            }
            return target.handleRequest(event, context);
        }
    }

    /** The emulation of Cognito's managed login the page signs in through ({@code GLINT_WEB_SIGN_IN_URL}). Default mode only. */
    public URI managedLoginEndpoint() {
        if (managedLogin == null) {
            throw new IllegalStateException("the managed login emulation runs in the default mode only");
        }
        return managedLogin.endpoint();
    }

    /**
     * The WebSocket API ({@code ws://127.0.0.1:<port>/ws}, or {@code /<stage>} from a template); connect
     * with {@code ?token=}.
     */
    public URI webSocketEndpoint() {
        if (webSockets == null) {
            throw new IllegalStateException("this stack serves no WebSocket API: its template has none");
        }
        return webSockets.endpoint();
    }

    /** The WebSocket API's open connections and its management endpoint (tests). */
    LocalConnections connections() {
        return connections;
    }

    /** Starts everything; on failure, stops what had started and rethrows. */
    public static EmbeddedStack start(Options options) throws Exception {
        EmbeddedStack stack = new EmbeddedStack();
        try {
            stack.boot(options);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void boot(Options options) throws Exception {
        Path data = options.dataDir();
        if (data != null) {
            OwnerOnlyFiles.createFolder(data);
            lock(data);
        }
        // The three emulators start in parallel: together they are most of the boot time.
        CompletableFuture<DynamoDbLocalServer> dynamo = async(() -> DynamoDbLocalServer.start(sub(data, "dynamodb")));
        CompletableFuture<SqsServer> queues = async(() -> SqsServer.start(sub(data, "sqs")));
        CompletableFuture<S3Server> blobs = async(() -> S3Server.start(sub(data, "s3"), ACCESS_KEY, SECRET_KEY));
        CompletableFuture.allOf(dynamo, queues, blobs).exceptionally(e -> null).join();
        // Register whatever started before reporting what did not, so close() stops it.
        dynamo.thenAccept(this::register);
        queues.thenAccept(this::register);
        blobs.thenAccept(this::register);
        dynamoEndpoint = join(dynamo).endpoint();
        sqsEndpoint = join(queues).endpoint();
        s3Endpoint = join(blobs).endpoint();
        // SES v2's SendEmail: each digest an .eml file under <data>/mail (a temporary folder for in-memory stacks).
        ses = register(LocalSesServer.start(data != null ? data.resolve("mail") : Files.createTempDirectory("glint-mail")));
        // AppConfig and AppConfigData: the experiments in <data>/appconfig/experiments.json, watched (seeded from the options).
        appConfig = register(LocalAppConfigServer.start(data != null ? data.resolve("appconfig")
                : Files.createTempDirectory("glint-appconfig"), options.experiments().toJson()));

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        Region region = Region.of(LocalContext.REGION);
        DynamoDbClient dynamoClient = register(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials).region(region).endpointOverride(dynamoEndpoint).build());
        SqsClient sqsClient = register(SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials).region(region).endpointOverride(sqsEndpoint).build());
        S3Client s3Client = register(S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials).region(region).endpointOverride(s3Endpoint).forcePathStyle(true).build());
        if (options.template() != null) {
            bootFromTemplate(options, data, credentials, region, dynamoClient, sqsClient, s3Client);
            return;
        }
        provisioned = Provisioner.provision(options.prefix(), dynamoClient, sqsClient, s3Client,
                options.visibilityTimeoutOverride());

        config = new GlintConfig(LocalContext.REGION, provisioned.table(),
                provisioned.buckets().get(GlintResources.UPLOADS_BUCKET.logicalName()),
                provisioned.buckets().get(GlintResources.MEDIA_BUCKET.logicalName()),
                provisioned.queueUrls().get(GlintResources.MEDIA_QUEUE.logicalName()),
                provisioned.queueUrls().get(GlintResources.FANOUT_QUEUE.logicalName()),
                new GlintConfig.Endpoints(Optional.of(dynamoEndpoint), Optional.of(sqsEndpoint), Optional.of(s3Endpoint)),
                options.celebrityThreshold(), options.experiments());
        clients = new AwsClients(config, credentials, options.interceptorsOf(ScopedInterceptor.EVERY_FUNCTION));

        // Each function gets its own clients, as each Lambda function has on AWS.
        java.util.function.Function<String, AwsClients> clientsOf =
                function -> new AwsClients(config, credentials, options.interceptorsOf(function));
        HandlerDecorator decorate = scoped(options.decorator(), metrics);
        cursorSecret = secret(data == null ? null : data.resolve("cursor-secret"));
        String apiName = GlintResources.API_FUNCTION.name();
        String mediaName = GlintResources.MEDIA_WORKER_FUNCTION.name();
        String fanoutName = GlintResources.FANOUT_WORKER_FUNCTION.name();
        String streamName = GlintResources.STREAM_PROCESSOR_FUNCTION.name();
        var experiments = Optional.of(appConfig.location(APPCONFIG_POLL));
        var media = decorate.decorate(mediaName, new MediaWorkerHandler(MediaWorkerComposition.of(clientsOf.apply(mediaName))));
        // The WebSocket API's management endpoint answers before the publishers are built with its URL.
        connections = register(new LocalConnections(REALTIME_STAGE));
        Optional<URI> realtimeEndpoint = Optional.of(connections.endpoint());
        var stream = decorate.decorate(streamName,
                new StreamProcessorHandler(StreamProcessorComposition.of(clientsOf.apply(streamName), realtimeEndpoint,
                        experiments)));

        issuer = LocalJwtIssuer.create(data == null ? null : data.resolve("jwt-signing-key.der"),
                ISSUER, Clock.systemUTC());
        // The page's configuration names the gateway's, the socket's and the managed login's URLs, which are
        // known once each listens: the gateway takes its port first and serves the api once it is built.
        DeferredApi api = new DeferredApi();
        gateway = register(new LocalGateway(options.gatewayPort(), api, issuer, options.limits()));
        startWebSockets(decorate, clientsOf.apply(GlintResources.REALTIME_FUNCTION.name()));
        managedLogin = register(new LocalManagedLogin(issuer, Clock.systemUTC()));
        // The app client's callback and sign-out URLs: the app's page, under each name the gateway answers to.
        managedLogin.allow(gateway.pageOrigins().stream().map(origin -> origin + "/").toList());
        webConfig = WebConfig.fromEnv(Map.of(
                GlintResources.ENV_WEB_DEV_SIGN_IN, "true",
                GlintResources.ENV_WEB_SIGN_IN_URL, managedLogin.endpoint().toString(),
                GlintResources.ENV_WEB_CLIENT_ID, managedLogin.clientId(),
                GlintResources.ENV_WEB_REALTIME_URL, webSockets.endpoint().toString()));
        // Built through the same compositions as on Lambda, over this function's own clients.
        api.serve(decorate.decorate(apiName, new ApiHandler(ApiComposition.of(clientsOf.apply(apiName), cursorSecret,
                options.apiLimits(), webConfig, experiments, GUARDRAIL_FLUSH))));
        // Digest links lead to this gateway, which serves the app and its unsubscribe route.
        digestSettings = new DigestSettings(LOCAL_MAIL_FROM, gateway.endpoint(), cursorSecret, Optional.of(ses.endpoint()));
        var fanout = decorate.decorate(fanoutName, new FanoutWorkerHandler(FanoutWorkerComposition.of(clientsOf.apply(fanoutName),
                Optional.of(digestSettings), realtimeEndpoint, experiments)));

        for (var queue : GlintResources.QUEUES) {
            var handler = queue.logicalName().equals(GlintResources.MEDIA_QUEUE.logicalName()) ? media : fanout;
            var function = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(queue.consumerFunction()))
                    .findFirst().orElseThrow();
            SqsPoller poller = register(new SqsPoller(sqsClient, provisioned.queueUrls().get(queue.logicalName()),
                    provisioned.queueArns().get(queue.logicalName()), queue.consumerFunction(), handler,
                    queue.batchSize(), function.timeoutSeconds() * 1000L));
            sqsPollers.put(queue.logicalName(), poller);
        }
        DynamoDbStreamsClient streams = register(DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials).region(region).endpointOverride(dynamoEndpoint).build());
        var consumer = GlintResources.STREAM_CONSUMER;
        streamPoller = register(new StreamPoller(streams, sqsClient, provisioned.streamArn(),
                provisioned.queueUrls().get(consumer.onFailure().logicalName()), stream, consumer,
                data == null ? null : data.resolve("stream-checkpoints.properties")));
        register(new LocalExperimentChecks(sqsClient, provisioned.queueUrls().get(GlintResources.FANOUT_QUEUE.logicalName()),
                options.experimentChecks()));

        if (data != null) {
            writeEnvFile(data.resolve("stack.env"));
        }
        LOG.info("Glint local stack up: API {}, WebSocket API {}, managed login {}", gateway.endpoint(), webSockets.endpoint(),
                managedLogin.endpoint());
    }

    /**
     * Template mode: everything from the synthesized template. The functions are Glint's handlers on
     * the classpath, built through their compositions from the environment the template gives them
     * (plus what Lambda's runtime adds and the local endpoints), each over clients that enforce its role.
     */
    private void bootFromTemplate(Options options, Path data, StaticCredentialsProvider credentials, Region region,
                                  DynamoDbClient dynamoClient, SqsClient sqsClient, S3Client s3Client) throws Exception {
        CfnTemplate template = CfnTemplate.read(options.template());
        // The WebSocket API's ports are chosen first: the functions' environment names its URLs.
        TemplateStack.RealtimePorts realtimePorts = new TemplateStack.RealtimePorts(FreePort.pick(), FreePort.pick());
        TemplateStack stack = TemplateStack.provision(template, options.prefix(), dynamoClient, sqsClient, s3Client,
                options.visibilityTimeoutOverride(), logicalId -> {
                    try {
                        // The first secret keeps the default mode's file, so cursors survive a switch of modes.
                        return secret(data == null ? null : data.resolve(logicalId.equals(firstSecret(template))
                                ? "cursor-secret" : "secret-" + logicalId));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, realtimePorts);
        if (stack.webSocketApi != null) {
            connections = register(new LocalConnections(stack.webSocketApi.stage(), realtimePorts.management()));
        }
        DenyEndpoint deny = register(new DenyEndpoint());
        iamLedger = new IamLedger();
        AwsActions actions = stack.webSocketApi == null ? new AwsActions(LocalContext.REGION, LocalContext.ACCOUNT)
                : new AwsActions(LocalContext.REGION, LocalContext.ACCOUNT)
                .withWebSocketStage(stack.webSocketApi.apiId() + "/" + stack.webSocketApi.stage());
        HandlerDecorator decorate = options.decorator();
        Map<String, Object> handlers = new LinkedHashMap<>();
        Map<String, IamGuard> guards = new LinkedHashMap<>();
        Map<String, PolicyEvaluator> policiesOf = new LinkedHashMap<>();
        Map<String, String> apiEnvironment = null;
        Map<String, Map<String, String>> authorizerEnvironments = new LinkedHashMap<>();
        for (TemplateStack.LocalFunction function : stack.functions) {
            String name = function.spec().name();
            Map<String, String> env = runtimeEnvironment(function, options);
            PolicyEvaluator policies = new PolicyEvaluator(function.statements());
            iamLedger.register(name, policies.statements());
            List<ExecutionInterceptor> interceptors = new java.util.ArrayList<>();
            IamGuard guard = new IamGuard(name, function.roleArn(), policies, actions, iamLedger, deny.port());
            guards.put(name, guard);
            policiesOf.put(name, policies);
            interceptors.add(guard);
            interceptors.addAll(options.interceptorsOf(name));
            java.util.function.Function<GlintConfig, AwsClients> clientsOf = c -> new AwsClients(c, credentials, interceptors);
            if (name.equals(GlintResources.REALTIME_AUTHORIZER_FUNCTION.name())) {
                // Built once the gateway serves the key set its tokens are verified with (below).
                authorizerEnvironments.put(name, env);
                continue;
            }
            Object handler = switch (name) {
                case "api" -> decorate.decorate(name, new ApiHandler(ApiComposition.fromEnvironment(env, clientsOf)));
                case "media-worker" -> decorate.decorate(name, new MediaWorkerHandler(MediaWorkerComposition.fromEnvironment(env, clientsOf)));
                case "fanout-worker" -> decorate.decorate(name, new FanoutWorkerHandler(FanoutWorkerComposition.fromEnvironment(env, clientsOf)));
                case "stream-processor" -> decorate.decorate(name,
                        new StreamProcessorHandler(StreamProcessorComposition.fromEnvironment(env, clientsOf)));
                case "realtime" -> decorate.decorate(name,
                        new dev.glint.realtime.RealtimeHandler(dev.glint.realtime.RealtimeComposition.fromEnvironment(env, clientsOf)));
                default -> throw new IllegalStateException("no local build for " + name);
            };
            handlers.put(name, handler);
            if (name.equals(GlintResources.API_FUNCTION.name())) {
                apiEnvironment = env;
            }
        }
        if (apiEnvironment == null) {
            throw new IllegalStateException(options.template() + " has no api function (handler "
                    + GlintResources.API_FUNCTION.handlerClass() + ")");
        }
        config = GlintConfig.fromEnv(apiEnvironment);
        clients = new AwsClients(config, credentials, options.interceptorsOf(ScopedInterceptor.EVERY_FUNCTION));
        cursorSecret = apiEnvironment.get(GlintResources.ENV_CURSOR_SECRET);

        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> arns = new LinkedHashMap<>();
        for (var queue : GlintResources.QUEUES) {
            String url = apiEnvironment.get(queue.envVar());
            urls.put(queue.logicalName(), url);
            stack.deadLetterQueueOf(url).ifPresent(dlq -> urls.put(queue.dlqLogicalName(), dlq));
        }
        for (TemplateStack.QueueMapping mapping : stack.queueMappings) {
            @SuppressWarnings("unchecked")
            var handler = (com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.SQSEvent,
                    com.amazonaws.services.lambda.runtime.events.SQSBatchResponse>) handlers.get(mapping.function());
            int timeout = stack.function(mapping.function()).orElseThrow().timeoutSeconds();
            // Lambda reads the queue with the function's role: the poller's calls are checked against it too.
            SqsClient asRole = register(SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(credentials).region(region).endpointOverride(sqsEndpoint)
                    .overrideConfiguration(o -> o.addExecutionInterceptor(guards.get(mapping.function()))).build());
            SqsPoller poller = register(new SqsPoller(asRole, mapping.queueUrl(), mapping.queueArn(), mapping.function(), handler,
                    mapping.batchSize(), timeout * 1000L, mapping.reportBatchItemFailures()));
            urls.entrySet().stream().filter(e -> e.getValue().equals(mapping.queueUrl())).findFirst()
                    .ifPresent(e -> {
                        sqsPollers.put(e.getKey(), poller);
                        arns.put(e.getKey(), mapping.queueArn());
                    });
        }
        String streamArn = null;
        for (TemplateStack.StreamMapping mapping : stack.streamMappings) {
            @SuppressWarnings("unchecked")
            var handler = (com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.DynamodbEvent,
                    com.amazonaws.services.lambda.runtime.events.StreamsEventResponse>) handlers.get(mapping.settings().function());
            // Lambda reads the stream and sends to the on-failure destination with the function's role.
            String function = mapping.settings().function();
            IamGuard streamGuard = new IamGuard(function, stack.function(function).orElseThrow().roleArn(), policiesOf.get(function),
                    new AwsActions(LocalContext.REGION, LocalContext.ACCOUNT, mapping.streamArn()), iamLedger, deny.port());
            DynamoDbStreamsClient streamsAsRole = register(DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(credentials).region(region).endpointOverride(dynamoEndpoint)
                    .overrideConfiguration(o -> o.addExecutionInterceptor(streamGuard)).build());
            SqsClient sqsAsRole = register(SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(credentials).region(region).endpointOverride(sqsEndpoint)
                    .overrideConfiguration(o -> o.addExecutionInterceptor(streamGuard)).build());
            streamPoller = register(new StreamPoller(streamsAsRole, sqsAsRole, mapping.streamArn(), mapping.failureQueueUrl(), handler,
                    mapping.settings(), data == null ? null : data.resolve("stream-checkpoints.properties"), mapping.filter()));
            streamArn = mapping.streamArn();
            if (mapping.failureQueueUrl() != null) {
                urls.put(GlintResources.STREAM_CONSUMER.onFailure().logicalName(), mapping.failureQueueUrl());
            }
        }
        provisioned = new Provisioner.Provisioned(config.table(), streamArn, Map.copyOf(urls), Map.copyOf(arns),
                Map.of(GlintResources.UPLOADS_BUCKET.logicalName(), config.uploadsBucket(),
                        GlintResources.MEDIA_BUCKET.logicalName(), config.mediaBucket()));
        // The template's schedule, run by the stack (as the scheduler's role would send it) when the functions have AppConfig.
        if (urls.get(GlintResources.FANOUT_QUEUE.logicalName()) != null
                && dev.glint.shared.experiments.AppConfigLocation.fromEnv(apiEnvironment).isPresent()) {
            register(new LocalExperimentChecks(sqsClient, urls.get(GlintResources.FANOUT_QUEUE.logicalName()),
                    options.experimentChecks()));
        }

        TemplateStack.Authorizer authorizer = stack.authorizer;
        Path keyFile = data == null ? null : data.resolve("jwt-signing-key.der");
        issuer = authorizer == null
                ? LocalJwtIssuer.create(keyFile, ISSUER, Clock.systemUTC())
                : LocalJwtIssuer.create(keyFile, authorizer.issuer(), authorizer.audience().get(0), Clock.systemUTC());
        @SuppressWarnings("unchecked")
        var api = (com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent,
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse>) handlers.get(GlintResources.API_FUNCTION.name());
        gateway = register(new LocalGateway(options.gatewayPort(), api, issuer, options.limits(), stack.gatewayRoutes()));
        for (var entry : authorizerEnvironments.entrySet()) {
            // The template's issuer is the local issuer's (both resolve the user pool alike); its key set is served here, not by Cognito.
            Map<String, String> env = new LinkedHashMap<>(entry.getValue());
            env.put(GlintResources.ENV_JWKS_URL, gateway.endpoint() + "/.well-known/jwks.json");
            handlers.put(entry.getKey(), decorate.decorate(entry.getKey(),
                    new dev.glint.authorizer.AuthorizerHandler(dev.glint.authorizer.AuthorizerComposition.fromEnvironment(env).verifier())));
        }
        if (stack.webSocketApi != null) {
            webSockets = register(LocalWebSocketGateway.start(webSocketApi(stack.webSocketApi, handlers), connections,
                    realtimePorts.webSocket()));
        }
        if (data != null) {
            writeEnvFile(data.resolve("stack.env"));
        }
        LOG.info("Glint local stack up from template {}: API {}, WebSocket API {}, {} functions with their IAM roles enforced",
                options.template(), gateway.endpoint(), webSockets == null ? "none" : webSockets.endpoint(), stack.functions.size());
    }

    /** The template's WebSocket API over the functions built from it. */
    @SuppressWarnings("unchecked")
    private static LocalWebSocketGateway.Api webSocketApi(TemplateStack.WebSocketApi api, Map<String, Object> handlers) {
        Map<String, LocalWebSocketGateway.Integration> routes = new LinkedHashMap<>();
        api.routes().forEach((key, function) -> routes.put(key, handlers.get(function) == null
                ? failNoHandler(api, function) : new LocalWebSocketGateway.Integration(function,
                (com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent,
                        com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse>) handlers.get(function))));
        LocalWebSocketGateway.Authorizer authorizer = api.authorizer() == null ? null : new LocalWebSocketGateway.Authorizer(api.authorizer(),
                (com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent,
                        com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1>) handlers.get(api.authorizer()), api.identitySources());
        return new LocalWebSocketGateway.Api(api.apiId(), api.stage(), "/" + api.stage(), api.selectionField(), routes, api.twoWay(), authorizer);
    }

    private static LocalWebSocketGateway.Integration failNoHandler(TemplateStack.WebSocketApi api, String function) {
        throw new IllegalStateException("the WebSocket API " + api.logicalId() + " integrates " + function + ", which has no local build");
    }

    private static String firstSecret(CfnTemplate template) {
        var secrets = template.ofType("AWS::SecretsManager::Secret");
        return secrets.isEmpty() ? "" : secrets.get(0).logicalId();
    }

    /**
     * A function's environment as Lambda would start it: the template's variables, the variables
     * Lambda's runtime adds, and, locally only, where the emulators answer. A test's or the launcher's
     * explicit changes to the defaults (celebrity threshold, experiments, api limits) are set on top,
     * and logged, since they change what the template says.
     */
    private Map<String, String> runtimeEnvironment(TemplateStack.LocalFunction function, Options options) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.put("AWS_REGION", LocalContext.REGION);
        env.put("AWS_DEFAULT_REGION", LocalContext.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.physicalName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put(GlintResources.ENV_DYNAMODB_ENDPOINT, dynamoEndpoint.toString());
        env.put(GlintResources.ENV_SQS_ENDPOINT, sqsEndpoint.toString());
        env.put(GlintResources.ENV_S3_ENDPOINT, s3Endpoint.toString());
        env.put(DigestSettings.ENV_SES_ENDPOINT, ses.endpoint().toString());
        var location = dev.glint.shared.experiments.AppConfigLocation.fromEnv(env);
        if (location.isPresent()) {
            // The template's AppConfig ids name the local AppConfig's one profile; it answers there, polled every second.
            appConfig.answerTo(location.get());
            env.put(dev.glint.shared.experiments.AppConfigLocation.ENV_ENDPOINT, appConfig.endpoint().toString());
            env.put(dev.glint.shared.experiments.AppConfigLocation.ENV_POLL_SECONDS, Long.toString(APPCONFIG_POLL.toSeconds()));
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (options.celebrityThreshold() != GlintConfig.DEFAULT_CELEBRITY_THRESHOLD) {
            overrides.put(GlintResources.ENV_CELEBRITY_THRESHOLD, Long.toString(options.celebrityThreshold()));
        }
        if (!options.experiments().equals(ExperimentConfig.shipped())) {
            overrides.put(ExperimentConfig.ENV_VAR, options.experiments().toJson());
        }
        if (function.spec().name().equals(GlintResources.API_FUNCTION.name())) {
            env.put(dev.glint.shared.experiments.RequestGuardrails.ENV_FLUSH_SECONDS, Long.toString(GUARDRAIL_FLUSH.toSeconds()));
        }
        if (function.spec().name().equals(GlintResources.API_FUNCTION.name()) && !options.apiLimits().equals(ApiLimits.DEFAULTS)) {
            overrides.putAll(options.apiLimits().toEnv());
        }
        if (function.spec().name().equals(GlintResources.API_FUNCTION.name())) {
            // The page signs in where this stack can: by name with the local issuer (which the gateway serves in
            // template mode too). The stage's own user pool domain would send the browser to callback URLs that are
            // not this stack, so it is not offered. The WebSocket API's URL resolves to the local one (the template's
            // WebSocket API is served here), and stays.
            overrides.put(GlintResources.ENV_WEB_DEV_SIGN_IN, "true");
            for (String deployedOnly : List.of(GlintResources.ENV_WEB_SIGN_IN_URL, GlintResources.ENV_WEB_CLIENT_ID)) {
                if (env.remove(deployedOnly) != null) {
                    LOG.info("{}: {} is the deployed stage's; the local stack does not offer it", function.spec().name(), deployedOnly);
                }
            }
            String realtime = env.get(GlintResources.ENV_WEB_REALTIME_URL);
            if (realtime != null && !realtime.startsWith("ws://127.0.0.1:")) {
                env.remove(GlintResources.ENV_WEB_REALTIME_URL);
                LOG.info("{}: {} ({}) is not this stack's socket; the page polls", function.spec().name(),
                        GlintResources.ENV_WEB_REALTIME_URL, realtime);
            }
        }
        // The stage's user pool is not this stack's (its sign-in is the local issuer, which keeps no users):
        // an account erasure here deletes no sign-in, as in the default mode.
        if (env.remove(dev.glint.shared.aws.CognitoIdentityDirectory.ENV_USER_POOL_ID) != null) {
            LOG.info("{}: {} is the deployed stage's user pool; the local stack has none", function.spec().name(),
                    dev.glint.shared.aws.CognitoIdentityDirectory.ENV_USER_POOL_ID);
        }
        if (!overrides.isEmpty()) {
            LOG.info("{}: local options set {} over the template's environment", function.spec().name(), overrides.keySet());
            env.putAll(overrides);
        }
        return env;
    }

    /** Each function's granted permissions against the ones its calls used (template mode only). */
    public Optional<IamLedger> iamLedger() {
        return Optional.ofNullable(iamLedger);
    }

    /**
     * Whether the stream consumer has delivered every change so far: its last pass found no new
     * record and no failed batch waiting for a retry. With faults injected, a batch can wait for
     * seconds between retries while the table looks settled; tests that check counts wait for this too.
     */
    public boolean streamCaughtUp() {
        return streamPoller.caughtUp();
    }

    /**
     * The functions' per-version metrics, read from the embedded metric format lines they log, as
     * CloudWatch reads them on AWS.
     */
    public LocalMetrics metrics() {
        return metrics;
    }

    /** The test's decorator inside, the metrics scope outside: what the decorated handler logs is this stack's. */
    private static HandlerDecorator scoped(HandlerDecorator decorator, LocalMetrics metrics) {
        return new HandlerDecorator() {
            @Override
            public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> handler) {
                return metrics.scope(decorator.decorate(function, handler));
            }
        };
    }

    /**
     * What the stream's event filter kept from the stream processor so far: records and pages read,
     * and of them passed on (figures for {@code ./glint bench load}).
     */
    public StreamFilterCounts streamFilterCounts() {
        var counts = streamPoller.filterCounts();
        return new StreamFilterCounts(counts.recordsRead(), counts.recordsPassed(), counts.pagesRead(), counts.pagesPassed());
    }

    /**
     * Records read from the table's stream and handed to the stream processor; pages of up to a batch
     * read (one invocation each without the filter), and pages with a record left (one invocation each).
     */
    public record StreamFilterCounts(long recordsRead, long recordsPassed, long pagesRead, long pagesPassed) {
        public double recordShareRemoved() {
            return recordsRead == 0 ? 0 : 1 - (double) recordsPassed / recordsRead;
        }

        public double invocationShareRemoved() {
            return pagesRead == 0 ? 0 : 1 - (double) pagesPassed / pagesRead;
        }
    }

    /** The configuration the functions run with, as their environment would carry it. */
    public GlintConfig config() {
        return config;
    }

    /** Clients for the local services, with the stack's credentials. */
    public AwsClients clients() {
        return clients;
    }

    public URI apiEndpoint() {
        return gateway.endpoint();
    }

    public String queueUrl(String logicalName) {
        String url = provisioned.queueUrls().get(logicalName);
        if (url == null) {
            throw new IllegalArgumentException("no queue " + logicalName);
        }
        return url;
    }

    /**
     * The environment a function process needs to run against this stack: the configuration plus
     * the local credentials. {@code ./glint invoke} reads it from {@code stack.env}.
     */
    public Map<String, String> functionEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(config.toEnv());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put(GlintResources.STREAM_CONSUMER.onFailure().envVar(),
                provisioned.queueUrls().get(GlintResources.STREAM_CONSUMER.onFailure().logicalName()));
        env.put(GlintResources.ENV_CURSOR_SECRET, cursorSecret);
        env.put("GLINT_API_URL", apiEndpoint().toString());
        if (webConfig != null) {
            env.putAll(webConfig.toEnv());
        }
        if (digestSettings != null) {
            env.putAll(digestSettings.toEnv());
        }
        if (appConfig != null) {
            env.putAll(appConfig.location(APPCONFIG_POLL).toEnv());
        }
        return env;
    }

    /** The file holding the deployed experiments (the local AppConfig's): editing it changes what the functions serve. */
    public Path experimentsFile() {
        return appConfig.deployedFile();
    }

    /** The token issuer the gateway trusts (tests mint expired or odd tokens with it). */
    LocalJwtIssuer issuer() {
        return issuer;
    }

    /** Where the local SES writes each message it is sent, one {@code .eml} file each. */
    public Path mailDir() {
        return ses.mailDir();
    }

    /** SendEmail calls the local SES answered since start. */
    public long mailsSent() {
        return ses.sent();
    }

    URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    URI sqsEndpoint() {
        return sqsEndpoint;
    }

    URI s3Endpoint() {
        return s3Endpoint;
    }

    private void writeEnvFile(Path file) throws IOException {
        StringBuilder out = new StringBuilder("# Written by the running Glint local stack; read by ./glint invoke.\n");
        functionEnvironment().forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        // It holds the cursor secret.
        OwnerOnlyFiles.write(file, out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        resources.push(() -> Files.deleteIfExists(file));
    }

    /**
     * A random secret, kept in the data folder (if any, readable by its owner only) so cursors stay
     * valid across restarts.
     */
    private static String secret(Path file) throws IOException {
        if (file != null && Files.exists(file)) {
            OwnerOnlyFiles.tighten(file);
            return Files.readString(file).trim();
        }
        byte[] bytes = new byte[36];
        new java.security.SecureRandom().nextBytes(bytes);
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (file != null) {
            OwnerOnlyFiles.write(file, secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return secret;
    }

    private void lock(Path data) throws IOException {
        FileChannel channel = FileChannel.open(data.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by another stack in this JVM
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another Glint local stack is using " + data.toAbsolutePath()
                    + "; stop it first or pass another --data folder");
        }
        resources.push(channel);
        resources.push(lock::release);
    }

    private static Path sub(Path data, String name) {
        return data == null ? null : data.resolve(name);
    }

    private <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    private interface Starter<T> {
        T start() throws Exception;
    }

    private static <T> CompletableFuture<T> async(Starter<T> starter) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return starter.start();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private <T extends AutoCloseable> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Stops everything in the reverse order it started; never throws. */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", resource, e);
            }
        }
    }
}
