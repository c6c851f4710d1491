package dev.glint.api;

import dev.glint.lambda.LambdaEnvironment;
import dev.glint.shared.account.AccountDeletion;
import dev.glint.shared.aws.DynamoAccountErasure;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.AwsHealthProbes;
import dev.glint.shared.aws.CloudFrontMediaUrls;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.aws.DynamoExportStore;
import dev.glint.shared.aws.S3ExportLinks;
import dev.glint.shared.export.DataExports;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoIdempotencyStore;
import dev.glint.shared.aws.DynamoModerationStore;
import dev.glint.shared.aws.DynamoNotificationStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.DynamoSafetyStore;
import dev.glint.shared.aws.DynamoPrivacyStore;
import dev.glint.shared.aws.DynamoQuotaStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoTagStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.S3MediaUrls;
import dev.glint.shared.aws.S3UploadSigner;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.aws.AppConfigExperiments;
import dev.glint.shared.aws.DynamoExperimentChangeStore;
import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentAdmin;
import dev.glint.shared.experiments.ExperimentSource;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.experiments.RequestGuardrails;
import dev.glint.shared.feed.FeedFollows;
import dev.glint.shared.feed.Feeds;
import dev.glint.shared.health.HealthProbe;
import dev.glint.shared.idempotency.IdempotencyStore;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.ApproveRequestsJob;
import dev.glint.shared.media.MediaUrls;
import dev.glint.shared.moderation.Moderation;
import dev.glint.shared.reports.Reports;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Engagement;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Notifications;
import dev.glint.shared.social.ProfileStore;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.Privacy;
import dev.glint.shared.social.Safety;
import dev.glint.shared.social.TagSearch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.glint.shared.aws.DynamoDigestPreferenceStore;
import dev.glint.shared.config.DigestSettings;
import dev.glint.shared.digest.DigestPreferences;
import dev.glint.shared.digest.UnsubscribeTokens;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the {@code api} function is put together: its clients, stores and use cases, each built once
 * per container. Lambda builds it from the environment ({@link #fromEnvironment()}); the local stack
 * from its own clients ({@link #of}); handler tests from fakes, with the canonical constructor.
 *
 * @param profiles    read directly by views, for the authors of what they show
 * @param cursors     signs list cursors
 * @param writeLimiter each user's write rate, kept in this container
 * @param readLimiter  each user's read rate, kept in this container
 * @param webOrigins   the buckets' origins the web client's content security policy names
 * @param digests      email digest preferences and unsubscribe links (signed with a key derived from the cursor secret)
 * @param idempotency  each user's Idempotency-Keys and the answers kept for them
 * @param web          what the web page's {@code /config.json} says: how to sign in, where the realtime socket is
 * @param experimentAdmin product teams' changes to the experiments; null when the stage's experiments
 *                     are a file (no AppConfig profile named in the environment)
 * @param safety       blocks and mutes, which every read path asks
 * @param privacy      private accounts and their follow requests; every read path of posts asks it too
 * @param moderation   reports and the moderators' queue, decisions and log
 * @param accountDeletion deleting my account: its tombstone, which every write checks, and the erasure's first message
 * @param guardrails   each request's status and latency counted under its user's experiment variants
 * @param exports      copies of my data: started here, built by the media worker, downloaded through presigned GETs
 */
public record ApiComposition(Accounts accounts, Follows follows, Publishing publishing, Engagement engagement,
                             Feeds feeds, ProfileStore profiles, Notifications notifications, TagSearch tags,
                             Reports reports, Experiments experiments, List<HealthProbe> probes, Cursors cursors,
                             MediaUrls mediaUrls, RateLimiter writeLimiter, RateLimiter readLimiter, WebOrigins webOrigins,
                             DigestPreferences digests, IdempotencyStore idempotency, WebConfig web,
                             ExperimentAdmin experimentAdmin, Safety safety, Privacy privacy, Moderation moderation,
                             AccountDeletion accountDeletion, RequestGuardrails guardrails, DataExports exports) {

    private static final Logger LOG = LoggerFactory.getLogger(ApiComposition.class);

    /** Lambda's: configuration, secret and limits from the environment, clients with Lambda's credentials. */
    public static ApiComposition fromEnvironment() {
        return fromEnvironment(System.getenv(), AwsClients::fromEnvironment);
    }

    /**
     * From an environment as Lambda would set it, read the way Lambda's path reads it, with clients
     * made from its configuration: the local stack's template mode hands each function the
     * environment its template gives it.
     */
    public static ApiComposition fromEnvironment(Map<String, String> env, Function<GlintConfig, AwsClients> clients) {
        return fromEnvironment(env, clients, Secrets::secretsManager);
    }

    /**
     * As {@link #fromEnvironment(Map, Function)}, with the secrets read from where {@code secrets} says. When
     * the environment names a media distribution ({@link MediaDistribution}), renditions are CloudFront
     * signed URLs with the private key its secret holds, read once here; else S3 presigned GETs.
     */
    static ApiComposition fromEnvironment(Map<String, String> env, Function<GlintConfig, AwsClients> clients,
                                          Function<AwsClients, Secrets> secrets) {
        Optional<MediaDistribution> distribution = MediaDistribution.fromEnv(env);
        String cursorSecret = LambdaEnvironment.required(env, GlintResources.ENV_CURSOR_SECRET);
        AwsClients aws = clients.apply(GlintConfig.fromEnv(env));
        Optional<Media> media = distribution.flatMap(d -> {
            Optional<CloudFrontMediaUrls> urls = d.urls(secrets.apply(aws).secretString(d.signingKeySecret()), Clock.systemUTC());
            if (urls.isEmpty()) {
                // A new stage's first deploy publishes a version before anyone can put the key in: it must
                // start, and S3 URLs still work (the role may read media/*). The next version signs for CloudFront.
                LOG.warn("The media signing key secret {} ({}) holds no key yet: media URLs are S3 presigned until a "
                        + "version starts with the key in it (infra-cdk/README.md, the edge)", d.signingKeySecret(),
                        GlintResources.ENV_MEDIA_SIGNING_KEY_SECRET);
            }
            return urls.map(u -> new Media(u, d.origin()));
        });
        String unsubscribeSecret = LambdaEnvironment.required(env, DigestSettings.ENV_UNSUBSCRIBE_SECRET);
        Duration flush;
        try {
            flush = RequestGuardrails.flushInterval(env);
        } catch (IllegalArgumentException e) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + e.getMessage());
        }
        return of(aws, cursorSecret, unsubscribeSecret, ApiLimits.fromEnv(env), media, WebConfig.fromEnv(env), appConfig(env),
                flush);
    }

    private static Optional<AppConfigLocation> appConfig(Map<String, String> env) {
        try {
            return AppConfigLocation.fromEnv(env);
        } catch (IllegalArgumentException e) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: " + e.getMessage());
        }
    }

    /** Media URLs other than the S3 presigned ones, and the origin they name. */
    record Media(MediaUrls urls, String origin) {
    }

    /**
     * Everything on the clients' services, each user held to the limits; renditions as S3 presigned GETs.
     *
     * @param cursorSecret signs list cursors; at least 32 characters, the same for every instance
     */
    public static ApiComposition of(AwsClients clients, String cursorSecret, ApiLimits limits) {
        return of(clients, cursorSecret, limits, WebConfig.none());
    }

    /** As {@link #of(AwsClients, String, ApiLimits)}, with what the web page's {@code /config.json} says. */
    public static ApiComposition of(AwsClients clients, String cursorSecret, ApiLimits limits, WebConfig web) {
        // One secret for both locally: unsubscribe keys are derived from it under a label of their own.
        return of(clients, cursorSecret, cursorSecret, limits, Optional.empty(), web, Optional.empty(),
                RequestGuardrails.DEFAULT_FLUSH);
    }

    /** As {@link #of(AwsClients, String, ApiLimits, WebConfig)}, with the experiments read from and written to AppConfig there. */
    public static ApiComposition of(AwsClients clients, String cursorSecret, ApiLimits limits, WebConfig web,
                                    Optional<AppConfigLocation> appConfig) {
        return of(clients, cursorSecret, limits, web, appConfig, RequestGuardrails.DEFAULT_FLUSH);
    }

    /** As {@link #of(AwsClients, String, ApiLimits, WebConfig, Optional)}, flushing guardrail counts at this interval. */
    public static ApiComposition of(AwsClients clients, String cursorSecret, ApiLimits limits, WebConfig web,
                                    Optional<AppConfigLocation> appConfig, Duration guardrailFlush) {
        return of(clients, cursorSecret, cursorSecret, limits, Optional.empty(), web, appConfig, guardrailFlush);
    }

    private static ApiComposition of(AwsClients clients, String cursorSecret, String unsubscribeSecret, ApiLimits limits,
                                     Optional<Media> media, WebConfig web, Optional<AppConfigLocation> appConfig,
                                     Duration guardrailFlush) {
        if (cursorSecret.length() < 32) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: "
                    + GlintResources.ENV_CURSOR_SECRET + " must have at least 32 characters");
        }
        if (unsubscribeSecret.length() < 32) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: "
                    + DigestSettings.ENV_UNSUBSCRIBE_SECRET + " must have at least 32 characters");
        }
        GlintConfig config = clients.config();
        String table = config.table();
        Clock clock = Clock.systemUTC();
        Ids ids = Ids.system();
        var dynamo = clients.dynamoDb();
        var profiles = new DynamoProfileStore(dynamo, table);
        var posts = new DynamoPostStore(dynamo, table);
        var feedStore = new DynamoFeedStore(dynamo, table, clock);
        var tasks = new SqsTaskQueue(clients.sqs(), config.mediaQueueUrl(), config.fanoutQueueUrl());
        // The stage's file is what a cold start serves until AppConfig first answers (and all it serves without it).
        ExperimentSource source = appConfig.map(location -> AppConfigExperiments.source(clients, location, config.experiments()))
                .orElseGet(() -> ExperimentSource.fixed(config.experiments()));
        var experimentStore = new DynamoExperimentStore(dynamo, table);
        var experiments = new Experiments(source, experimentStore, clock);
        ExperimentAdmin admin = appConfig.map(location -> new ExperimentAdmin(AppConfigExperiments.definitions(clients, location),
                new DynamoExperimentChangeStore(dynamo, table), config.experiments(), clock)).orElse(null);
        var accounts = new Accounts(profiles, clock);
        var feedFollows = new FeedFollows(profiles, feedStore, tasks, config.celebrityThreshold());
        var safety = new Safety(accounts, new DynamoSafetyStore(dynamo, table), feedFollows, clock);
        var follows = new Follows(accounts, new DynamoFollowStore(dynamo, table), feedFollows, ids, clock);
        var notificationStore = new DynamoNotificationStore(dynamo, table);
        var privacy = new Privacy(accounts, new DynamoPrivacyStore(dynamo, table), follows, feedFollows, safety, ownerId -> tasks.send(ApproveRequestsJob.of(ownerId)), ids, clock);
        var publishing = new Publishing(accounts, posts, new S3UploadSigner(clients.s3Presigner(), config.uploadsBucket()),
                new S3BlobStore(clients.s3(), config.uploadsBucket()), tasks, new DynamoQuotaStore(dynamo, table),
                limits.daily(), ids, clock, safety.blocks(), privacy.authors());
        return new ApiComposition(
                accounts,
                follows,
                publishing,
                new Engagement(accounts, posts, safety.blocks(), privacy.authors(), ids, clock),
                new Feeds(feedStore, posts, experiments),
                profiles,
                new Notifications(notificationStore),
                new TagSearch(new DynamoTagStore(dynamo, table), posts, privacy.authors(), clock),
                new Reports(new DynamoRollupStore(dynamo, table, clock)),
                experiments,
                AwsHealthProbes.forApi(clients),
                new Cursors(cursorSecret.getBytes(StandardCharsets.UTF_8)),
                media.map(Media::urls).orElseGet(() ->
                        new S3MediaUrls(clients.s3().utilities(), clients.credentials(), clients.region(), config.mediaBucket(), clock)),
                new RateLimiter(limits.writes()),
                new RateLimiter(limits.reads()),
                media.map(m -> WebOrigins.of(config).withMedia(m.origin())).orElseGet(() -> WebOrigins.of(config)),
                new DigestPreferences(new DynamoDigestPreferenceStore(dynamo, table), new UnsubscribeTokens(unsubscribeSecret, clock)),
                new DynamoIdempotencyStore(dynamo, table),
                web,
                admin,
                safety,
                privacy,
                new Moderation(accounts, publishing, posts, safety.blocks(), new DynamoModerationStore(dynamo, table), ids, clock),
                new AccountDeletion(new DynamoAccountErasure(dynamo, table), tasks, DynamoAccountErasure.FIRST_STEP, clock),
                new RequestGuardrails(source, experimentStore, clock, guardrailFlush),
                new DataExports(new DynamoExportStore(dynamo, table), new S3ExportLinks(clients.s3Presigner(), config.uploadsBucket()),
                        tasks, ids, clock));
    }
}
