package dev.glint.shared.resources;

import java.util.List;
import java.util.Optional;

/**
 * The one description of the AWS resources Glint needs. The embedded local stack provisions exactly
 * this, and the CDK app builds its stacks from it, so the two cannot drift.
 *
 * <p>Names here are logical: the local stack derives physical names from a prefix, the CDK app lets
 * CloudFormation generate them, and functions learn them from the environment variables named here.
 */
public final class GlintResources {

    /** Environment variable that carries the AWS region to every function. */
    public static final String ENV_REGION = "AWS_REGION";
    /** Optional environment variable that points every AWS client at another endpoint (local stacks). */
    public static final String ENV_ENDPOINT = "GLINT_AWS_ENDPOINT";
    /** The key (at least 32 characters) that signs the API's list cursors; only the api function needs it. */
    public static final String ENV_CURSOR_SECRET = "GLINT_CURSOR_SECRET";
    /**
     * The media distribution (beta and prod): its base URL ({@code https://dxxxx.cloudfront.net/}), the id of
     * the CloudFront public key its URLs are signed for, and the ARN of the secret that holds the PEM private
     * key. The api signs CloudFront URLs when all three are set, S3 presigned GETs when none is.
     */
    public static final String ENV_MEDIA_URL = "GLINT_MEDIA_URL";
    public static final String ENV_MEDIA_KEY_PAIR_ID = "GLINT_MEDIA_KEY_PAIR_ID";
    public static final String ENV_MEDIA_SIGNING_KEY_SECRET = "GLINT_MEDIA_SIGNING_KEY_SECRET";
    /**
     * What the media signing key secret holds until an operator puts the PEM private key in: the CDK app
     * cannot create it with the key (it would be in the template), and the api keeps S3 URLs while it sees this.
     */
    public static final String MEDIA_SIGNING_KEY_PLACEHOLDER = "no key yet: aws secretsmanager put-secret-value --secret-string file://<private key PEM>";
    /** Optional: followers from which an author counts as a celebrity (default 10,000). */
    public static final String ENV_CELEBRITY_THRESHOLD = "GLINT_CELEBRITY_THRESHOLD";
    /**
     * Optional: the WebSocket API's management endpoint (its stage's {@code https://} URL) to which the
     * publishers post realtime events. Unset: nothing is published (a stage without the WebSocket API).
     */
    public static final String ENV_REALTIME_ENDPOINT = "GLINT_REALTIME_ENDPOINT";
    /**
     * The WebSocket API's {@code $connect} authorizer verifies the tokens the HTTP API's JWT authorizer
     * accepts: this issuer (the Cognito user pool's URL), this audience (its app client id), and the
     * keys at the JWKS URL (optional: default {@code <issuer>/.well-known/jwks.json}, as Cognito publishes them).
     */
    public static final String ENV_JWT_ISSUER = "GLINT_JWT_ISSUER";
    public static final String ENV_JWT_AUDIENCE = "GLINT_JWT_AUDIENCE";
    public static final String ENV_JWKS_URL = "GLINT_JWKS_URL";
    /**
     * Optional: what the web client's {@code /config.json} tells the page (see {@code WebPolicy}): the
     * managed login's base URL (a Cognito user pool domain's {@code https://...amazoncognito.com}, or the
     * local stack's emulation of it) with the app client the page signs in through (authorization code
     * flow with PKCE); the WebSocket API's {@code wss://} URL (its stage's); and whether the local dev
     * issuer's sign-in by name is offered ({@code true} on the local stack only).
     */
    public static final String ENV_WEB_SIGN_IN_URL = "GLINT_WEB_SIGN_IN_URL";
    public static final String ENV_WEB_CLIENT_ID = "GLINT_WEB_CLIENT_ID";
    public static final String ENV_WEB_REALTIME_URL = "GLINT_WEB_REALTIME_URL";
    public static final String ENV_WEB_DEV_SIGN_IN = "GLINT_WEB_DEV_SIGN_IN";
    /** Optional per-service endpoint overrides; each wins over {@link #ENV_ENDPOINT}. */
    public static final String ENV_DYNAMODB_ENDPOINT = "GLINT_DYNAMODB_ENDPOINT";
    public static final String ENV_SQS_ENDPOINT = "GLINT_SQS_ENDPOINT";
    public static final String ENV_S3_ENDPOINT = "GLINT_S3_ENDPOINT";

    public static final TableSpec TABLE = new TableSpec(
            "table",
            "GLINT_TABLE",
            "pk",
            "sk",
            List.of(new IndexSpec("gsi1", "gsi1pk", "gsi1sk")),
            "ttl",
            StreamView.NEW_AND_OLD_IMAGES);

    public static final BucketSpec UPLOADS_BUCKET = new BucketSpec("uploads", "GLINT_UPLOADS_BUCKET", Optional.of(1),
            Optional.empty());
    /**
     * Data export archives live in the uploads bucket under this prefix ({@code exports/<user>/<id>.zip}),
     * kept {@link #EXPORT_ARCHIVE_DAYS} days by a lifecycle rule of their own (the bucket's other rule, which
     * expires unused uploads after a day, is scoped to {@code uploads/}).
     */
    public static final String EXPORT_ARCHIVES_PREFIX = "exports/";
    public static final int EXPORT_ARCHIVE_DAYS = 7;
    /** Where the uploads bucket's originals are: its one-day rule is scoped to them. */
    public static final String UPLOADS_PREFIX = "uploads/";
    /** Renditions are versioned: an overwritten or deleted one stays recoverable for 30 days, unreachable by URL. */
    public static final BucketSpec MEDIA_BUCKET = new BucketSpec("media", "GLINT_MEDIA_BUCKET", Optional.empty(),
            Optional.of(30));

    /**
     * Visibility timeouts are {@value #VISIBILITY_TIMEOUT_FACTOR} times the consumer's timeout, as AWS
     * advises for Lambda event sources: a batch Lambda is still retrying (throttled, or timing out)
     * must not become visible to another poller meanwhile. maxReceiveCount 5: a failure the worker
     * reports is retried after 5, 10, 20 and 40 s (RetryBackoff) and dead-lettered on the fifth
     * receive; one that times out the worker comes back after the visibility timeout, so it is given
     * up after 4 x 600 s (media) or 4 x 300 s (fan-out). Arithmetic: infra-cdk/README.md.
     */
    public static final QueueSpec MEDIA_QUEUE = new QueueSpec(
            "media", "GLINT_MEDIA_QUEUE_URL", "media-worker", 600, 5, 5, 14);
    public static final QueueSpec FANOUT_QUEUE = new QueueSpec(
            "fanout", "GLINT_FANOUT_QUEUE_URL", "fanout-worker", 300, 10, 5, 14);
    /** A queue's visibility timeout is at least this many times its consumer's timeout. */
    public static final int VISIBILITY_TIMEOUT_FACTOR = 6;

    /**
     * The stream processor reads the table's change stream. A batch the function fails with an error
     * is split in two and each half retried, until the failing record is alone; a batch that still
     * fails after {@code maxRetryAttempts} retries is described on the failure queue (Lambda's
     * on-failure destination) and the shard moves on. Splits use no retry, and 10 retries would still
     * isolate one record of 100 (7 splits) if they did. No maximum record age: it would discard good
     * records that only waited behind a failing one. Rules and arithmetic: infra-cdk/README.md.
     */
    public static final StreamConsumerSpec STREAM_CONSUMER = new StreamConsumerSpec(
            "stream-processor", 100, 10, true, true,
            new FailureQueueSpec("stream-failures", "GLINT_STREAM_FAILURES_QUEUE_URL", 14));

    public static final FunctionSpec API_FUNCTION = new FunctionSpec(
            "api", "functions/api", "dev.glint.api.ApiLambda", 1024, 29);
    /**
     * 1,769 MB is where Lambda gives a function one whole vCPU; the media worker's work is one thread,
     * so more memory bought it nothing (the bench measures its peak at a few hundred MB for a 12 MP
     * photo), and less would slow it in proportion. 13.6 % less per GB-second than the 2,048 MB before.
     */
    public static final FunctionSpec MEDIA_WORKER_FUNCTION = new FunctionSpec(
            "media-worker", "functions/media-worker", "dev.glint.mediaworker.MediaWorkerLambda", 1769, 100);
    public static final FunctionSpec FANOUT_WORKER_FUNCTION = new FunctionSpec(
            "fanout-worker", "functions/fanout-worker", "dev.glint.fanoutworker.FanoutWorkerLambda", 1024, 50);
    public static final FunctionSpec STREAM_PROCESSOR_FUNCTION = new FunctionSpec(
            "stream-processor", "functions/stream-processor", "dev.glint.streamprocessor.StreamProcessorLambda", 1024, 60);

    /** The WebSocket API's routes: connections and subscriptions (realtime delivery). */
    public static final FunctionSpec REALTIME_FUNCTION = new FunctionSpec(
            "realtime", "functions/realtime", "dev.glint.realtime.RealtimeLambda", 512, 10);
    /** The WebSocket API's {@code $connect} authorizer: verifies the sign-in token; calls no AWS service. */
    public static final FunctionSpec REALTIME_AUTHORIZER_FUNCTION = new FunctionSpec(
            "realtime-authorizer", "functions/realtime-authorizer", "dev.glint.authorizer.AuthorizerLambda", 512, 10);

    public static final List<FunctionSpec> FUNCTIONS = List.of(
            API_FUNCTION, MEDIA_WORKER_FUNCTION, FANOUT_WORKER_FUNCTION, STREAM_PROCESSOR_FUNCTION,
            REALTIME_FUNCTION, REALTIME_AUTHORIZER_FUNCTION);

    public static final List<QueueSpec> QUEUES = List.of(MEDIA_QUEUE, FANOUT_QUEUE);
    public static final List<BucketSpec> BUCKETS = List.of(UPLOADS_BUCKET, MEDIA_BUCKET);

    /**
     * Routes the HTTP API serves without a JWT authorizer; every other route requires a valid token.
     * {@code GET /} and {@code GET /console} are the web client's pages, {@code GET /assets/{file}}
     * their scripts and styles; the client then calls the API with the user's token. Each
     * has its {@code HEAD} beside it: an HTTP API routes by method, and a {@code HEAD} that matched no
     * route of its own would fall to the authorized {@code $default} route.
     */
    public static final List<PublicRoute> PUBLIC_ROUTES = List.of(
            new PublicRoute("GET", "/"),
            new PublicRoute("HEAD", "/"),
            new PublicRoute("GET", "/console"),
            new PublicRoute("HEAD", "/console"),
            new PublicRoute("GET", "/assets/{file}"),
            new PublicRoute("HEAD", "/assets/{file}"),
            // What the page needs to know of its stage: how to sign in, where the realtime socket is.
            new PublicRoute("GET", "/config.json"),
            new PublicRoute("HEAD", "/config.json"),
            new PublicRoute("GET", "/health"),
            new PublicRoute("HEAD", "/health"),
            new PublicRoute("GET", "/openapi.yaml"),
            new PublicRoute("HEAD", "/openapi.yaml"),
            // Email digests' unsubscribe links work without sign-in: their signed token says who.
            new PublicRoute("GET", "/v1/unsubscribe"),
            new PublicRoute("HEAD", "/v1/unsubscribe"),
            new PublicRoute("POST", "/v1/unsubscribe"));

    private GlintResources() {
    }

    /** How much of an item the change stream carries. */
    public enum StreamView { KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES }

    /** The single table: string partition and sort keys, global secondary indexes, a TTL attribute and a stream. */
    public record TableSpec(String logicalName, String envVar, String partitionKey, String sortKey,
                            List<IndexSpec> indexes, String ttlAttribute, StreamView streamView) {
    }

    /** A global secondary index with string keys, projecting all attributes. */
    public record IndexSpec(String name, String partitionKey, String sortKey) {
    }

    /**
     * A bucket; uploads that are never turned into posts expire after {@code expireAfterDays}. A
     * bucket with {@code noncurrentVersionDays} keeps versions: a deleted or overwritten object's
     * previous version is kept that many days, then expires.
     */
    public record BucketSpec(String logicalName, String envVar, Optional<Integer> expireAfterDays,
                             Optional<Integer> noncurrentVersionDays) {
    }

    /**
     * A work queue consumed by one function, with its dead-letter queue. A message received
     * {@code maxReceiveCount} times without success moves to {@code <name>-dlq}.
     */
    public record QueueSpec(String logicalName, String envVar, String consumerFunction,
                            int visibilityTimeoutSeconds, int batchSize, int maxReceiveCount,
                            int retentionDays) {
        public String dlqLogicalName() {
            return logicalName + "-dlq";
        }
    }

    /**
     * The stream processor's event source mapping settings, as Lambda names them: {@code BatchSize},
     * {@code MaximumRetryAttempts} (-1: until the record leaves the stream),
     * {@code FunctionResponseTypes: ReportBatchItemFailures}, {@code BisectBatchOnFunctionError}
     * and the on-failure destination. {@code MaximumRecordAgeInSeconds} is left at its default
     * (no limit but the stream's retention).
     */
    public record StreamConsumerSpec(String function, int batchSize, int maxRetryAttempts,
                                     boolean reportBatchItemFailures, boolean bisectBatchOnFunctionError,
                                     FailureQueueSpec onFailure) {
    }

    /** A queue that receives descriptions of records that could not be processed. */
    public record FailureQueueSpec(String logicalName, String envVar, int retentionDays) {
    }

    /**
     * A Lambda function: its module (the shaded jar is {@code <module>/target/lambda/<name>.jar}),
     * handler class, memory and timeout. A queue's visibility timeout is at least
     * {@link #VISIBILITY_TIMEOUT_FACTOR} times its consumer's timeout.
     */
    public record FunctionSpec(String name, String module, String handlerClass, int memoryMb, int timeoutSeconds) {
        public String jarPath() {
            return module + "/target/lambda/" + name + ".jar";
        }
    }

    /**
     * A route reachable without a token; its path is a pattern where {@code {name}} stands for one
     * non-empty segment, as in an HTTP API's route key.
     */
    public record PublicRoute(String method, String path) {

        /** Whether a request's method and path fall on this route. */
        public boolean matches(String requestMethod, String requestPath) {
            if (!method.equals(requestMethod)) {
                return false;
            }
            String[] want = path.split("/", -1);
            String[] have = requestPath.split("/", -1);
            if (want.length != have.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                boolean parameter = want[i].startsWith("{") && want[i].endsWith("}");
                if (parameter ? have[i].isEmpty() : !want[i].equals(have[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
