package dev.glint.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.lambda.LambdaEnvironment;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.AwsHealthProbes;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoNotificationStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoTagStore;
import dev.glint.shared.reports.Reports;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.S3UploadSigner;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.ports.HealthProbe;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Engagement;
import dev.glint.shared.social.Feeds;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Notifications;
import dev.glint.shared.social.TagSearch;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.SocialException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code api} function: every HTTP route of the HTTP API (payload format 2.0). It decodes the
 * event, dispatches one route, and maps the result or the error back; routes never see Lambda types.
 *
 * <p>Every response carries {@code x-request-id} (API Gateway's request id, also in every log
 * line) and {@code x-glint-version} (the function version that served it).
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** The log field Powertools gives the correlation id. */
    static final String CORRELATION_ID = "correlation_id";

    /** Optional: writes a user may make per second once their burst is spent (default 10). */
    public static final String ENV_WRITE_RATE = "GLINT_WRITE_RATE_PER_SECOND";
    /** Optional: writes a user may make at once (default 30). */
    public static final String ENV_WRITE_BURST = "GLINT_WRITE_BURST";
    private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST", "DELETE");

    private final Router router;
    private final WriteRateLimiter writeLimiter;

    /** Used by Lambda: configuration and clients from the environment. */
    public ApiHandler() {
        this(LambdaEnvironment.clients(), LambdaEnvironment.required(GlintResources.ENV_CURSOR_SECRET),
                writeLimits(System.getenv()));
    }

    /**
     * Builds the clients, stores and use cases once, with the default per-user write limits.
     *
     * @param cursorSecret signs list cursors; at least 32 characters, the same for every instance
     */
    public ApiHandler(AwsClients clients, String cursorSecret) {
        this(clients, cursorSecret, WriteRateLimiter.Limits.DEFAULTS);
    }

    /**
     * As {@link #ApiHandler(AwsClients, String)}, with per-user write limits: each user may make
     * {@code writeBurst} writes at once, then {@code writesPerSecond}.
     */
    public ApiHandler(AwsClients clients, String cursorSecret, double writesPerSecond, int writeBurst) {
        this(clients, cursorSecret, new WriteRateLimiter.Limits(writesPerSecond, writeBurst));
    }

    private ApiHandler(AwsClients clients, String cursorSecret, WriteRateLimiter.Limits limits) {
        this(clients, clients.dynamoDb(), clients.s3(), clients.sqs(), clients.s3Presigner(), cursorSecret, limits);
    }

    private ApiHandler(AwsClients clients, DynamoDbClient dynamo, S3Client s3, SqsClient sqs, S3Presigner presigner,
                       String cursorSecret, WriteRateLimiter.Limits limits) {
        this(clients.config(), AwsHealthProbes.forFunction(clients, dynamo, s3, sqs), dynamo, s3, sqs, presigner, cursorSecret,
                new Experiments(clients.config().experiments(), new DynamoExperimentStore(dynamo, clients.config().table()),
                        Clock.systemUTC()), limits);
    }

    private ApiHandler(GlintConfig config, List<HealthProbe> probes, DynamoDbClient dynamo, S3Client s3, SqsClient sqs,
                       S3Presigner presigner, String cursorSecret, Experiments experiments, WriteRateLimiter.Limits limits) {
        this(probes, socialRoutes(config, dynamo, s3, sqs, presigner, cursorSecret, experiments),
                new ExperimentRoutes(experiments), new WriteRateLimiter(limits));
    }

    ApiHandler(List<HealthProbe> probes, SocialRoutes social, ExperimentRoutes experiments) {
        this(probes, social, experiments, new WriteRateLimiter(WriteRateLimiter.Limits.DEFAULTS));
    }

    ApiHandler(List<HealthProbe> probes, SocialRoutes social, ExperimentRoutes experiments, WriteRateLimiter writeLimiter) {
        this.writeLimiter = writeLimiter;
        HealthRoute health = new HealthRoute(probes);
        String openApi = OpenApi.document();
        WebClient web = WebClient.load();
        this.router = new Router()
                .add("GET", "/", request -> web.response())
                .add("GET", "/health", health::handle)
                .add("GET", "/openapi.yaml", request -> OpenApi.response(openApi));
        social.register(router);
        experiments.register(router);
    }

    /** The write limits from the optional environment variables; a malformed one stops the function at init. */
    static WriteRateLimiter.Limits writeLimits(Map<String, String> env) {
        String rate = env.get(ENV_WRITE_RATE);
        String burst = env.get(ENV_WRITE_BURST);
        try {
            return new WriteRateLimiter.Limits(
                    rate == null || rate.isBlank() ? WriteRateLimiter.Limits.DEFAULTS.ratePerSecond() : Double.parseDouble(rate),
                    burst == null || burst.isBlank() ? WriteRateLimiter.Limits.DEFAULTS.burst() : Integer.parseInt(burst));
        } catch (IllegalArgumentException e) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + ENV_WRITE_RATE + " and "
                    + ENV_WRITE_BURST + " must be a positive number and a whole number of at least 1");
        }
    }

    private static SocialRoutes socialRoutes(GlintConfig config, DynamoDbClient dynamo, S3Client s3, SqsClient sqs,
                                             S3Presigner presigner, String cursorSecret, Experiments experiments) {
        if (cursorSecret.length() < 32) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: "
                    + GlintResources.ENV_CURSOR_SECRET + " must have at least 32 characters");
        }
        Clock clock = Clock.systemUTC();
        Ids ids = Ids.system();
        var profiles = new DynamoProfileStore(dynamo, config.table());
        var posts = new DynamoPostStore(dynamo, config.table());
        var feeds = new DynamoFeedStore(dynamo, config.table(), clock);
        var tasks = new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl());
        var accounts = new Accounts(profiles, clock);
        var publishing = new Publishing(accounts, posts, new S3UploadSigner(presigner, config.uploadsBucket()),
                new S3BlobStore(s3, config.uploadsBucket()), tasks, ids, clock);
        String mediaBucket = config.mediaBucket();
        var follows = new Follows(accounts, new DynamoFollowStore(dynamo, config.table()), feeds, tasks,
                config.celebrityThreshold(), ids, clock);
        return new SocialRoutes(accounts, follows,
                publishing, new Engagement(accounts, posts, ids, clock), new Feeds(feeds, posts, experiments), profiles,
                new Notifications(new DynamoNotificationStore(dynamo, config.table())),
                new TagSearch(new DynamoTagStore(dynamo, config.table()), posts, clock),
                new Reports(new DynamoRollupStore(dynamo, config.table(), clock)),
                new Cursors(cursorSecret.getBytes(StandardCharsets.UTF_8)),
                key -> presigner.presignGetObject(r -> r.signatureDuration(Duration.ofHours(1))
                        .getObjectRequest(g -> g.bucket(mediaBucket).key(key))).url().toString());
    }

    /** The routes this handler serves, as {@code "METHOD /pattern"}. */
    public List<String> routeKeys() {
        return router.routeKeys();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        // The correlation id (API Gateway's request id) is read here rather than through Powertools'
        // CorrelationIdPaths: its JMESPath engine loads ~280 classes into every cold start for one field.
        return PowertoolsLogging.withLogging(context, () -> {
            MDC.put(CORRELATION_ID, requestId(event));
            try {
                return handle(event, context == null ? null : context.getFunctionVersion());
            } finally {
                MDC.remove(CORRELATION_ID);
            }
        });
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, String functionVersion) {
        String requestId = requestId(event);
        HttpResponse response;
        try {
            HttpRequest request = toRequest(event, requestId);
            limitWrites(request);
            response = router.dispatch(request);
        } catch (SocialException e) {
            response = HttpResponse.json(switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
            }, errorBody(e.code(), e.getMessage()));
        } catch (RateLimited e) {
            response = error(e).withHeader("retry-after", Long.toString(e.retryAfterSeconds()));
        } catch (Router.MethodNotAllowed e) {
            response = error(e).withHeader("allow", e.allow());
        } catch (ApiException e) {
            response = error(e);
        } catch (RuntimeException e) {
            LOG.error("unhandled error serving request {}", requestId, e);
            response = HttpResponse.json(500, errorBody("internal",
                    "Something went wrong on our side. Quote request id " + requestId + " if you report it."));
        }
        response = HttpCaching.apply(event, response);
        response = response.withHeader("x-request-id", requestId)
                .withHeader("x-glint-version", functionVersion == null ? "unknown" : functionVersion);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * Takes a token from the caller's write bucket before any write reaches a use case, so a refused
     * write reads and changes nothing. Anonymous requests carry no user to limit: the authorizer
     * refuses them, and the API's stage throttle bounds them.
     */
    private void limitWrites(HttpRequest request) {
        String sub = request.claims().get("sub");
        if (!WRITE_METHODS.contains(request.method()) || sub == null || sub.isBlank() || sub.length() > 128) {
            return;
        }
        writeLimiter.acquire(sub).ifPresent(seconds -> {
            throw new RateLimited(seconds);
        });
    }

    /** 429: the caller's writes exceed their rate; {@code Retry-After} says when the next one may go. */
    static final class RateLimited extends ApiException {
        private final long retryAfterSeconds;

        RateLimited(long retryAfterSeconds) {
            super(429, "rate_limited", "Too many writes: slow down and retry after " + retryAfterSeconds
                    + " second" + (retryAfterSeconds == 1 ? "" : "s") + ".");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private static HttpResponse error(ApiException e) {
        return HttpResponse.json(e.status(), errorBody(e.code(), e.getMessage()));
    }

    static Map<String, Object> errorBody(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return Map.of("error", error);
    }

    private static String requestId(APIGatewayV2HTTPEvent event) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return "none";
    }

    private static HttpRequest toRequest(APIGatewayV2HTTPEvent event, String requestId) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                || event.getRawPath() == null) {
            throw new ApiException(400, "bad_request", "The request could not be read.");
        }
        byte[] body;
        if (event.getBody() == null) {
            body = new byte[0];
        } else if (event.getIsBase64Encoded()) {
            try {
                body = Base64.getDecoder().decode(event.getBody());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad_request", "The request body is not valid base64.");
            }
        } else {
            body = event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        Map<String, String> claims = Map.of();
        var authorizer = event.getRequestContext().getAuthorizer();
        if (authorizer != null && authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
            claims = Map.copyOf(authorizer.getJwt().getClaims());
        }
        return new HttpRequest(
                event.getRequestContext().getHttp().getMethod(),
                event.getRawPath(),
                Map.of(),
                event.getQueryStringParameters() == null ? Map.of() : Map.copyOf(event.getQueryStringParameters()),
                event.getHeaders() == null ? Map.of() : Map.copyOf(event.getHeaders()),
                body,
                claims,
                requestId);
    }
}
