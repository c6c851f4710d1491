package dev.glint.api;

import dev.glint.lambda.LambdaEnvironment;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.AwsHealthProbes;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoNotificationStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.DynamoQuotaStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoTagStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.S3MediaUrls;
import dev.glint.shared.aws.S3UploadSigner;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.experiments.Experiments;
import dev.glint.shared.feed.FeedFollows;
import dev.glint.shared.feed.Feeds;
import dev.glint.shared.health.HealthProbe;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.media.MediaUrls;
import dev.glint.shared.reports.Reports;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Engagement;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Notifications;
import dev.glint.shared.social.ProfileStore;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.TagSearch;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
 */
public record ApiComposition(Accounts accounts, Follows follows, Publishing publishing, Engagement engagement,
                             Feeds feeds, ProfileStore profiles, Notifications notifications, TagSearch tags,
                             Reports reports, Experiments experiments, List<HealthProbe> probes, Cursors cursors,
                             MediaUrls mediaUrls, RateLimiter writeLimiter, RateLimiter readLimiter, WebOrigins webOrigins) {

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
        return of(clients.apply(GlintConfig.fromEnv(env)), LambdaEnvironment.required(env, GlintResources.ENV_CURSOR_SECRET),
                ApiLimits.fromEnv(env));
    }

    /**
     * Everything on the clients' services, each user held to the limits.
     *
     * @param cursorSecret signs list cursors; at least 32 characters, the same for every instance
     */
    public static ApiComposition of(AwsClients clients, String cursorSecret, ApiLimits limits) {
        if (cursorSecret.length() < 32) {
            throw new GlintConfig.ConfigurationException("Glint is misconfigured: "
                    + GlintResources.ENV_CURSOR_SECRET + " must have at least 32 characters");
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
        var experiments = new Experiments(config.experiments(), new DynamoExperimentStore(dynamo, table), clock);
        var accounts = new Accounts(profiles, clock);
        return new ApiComposition(
                accounts,
                new Follows(accounts, new DynamoFollowStore(dynamo, table),
                        new FeedFollows(profiles, feedStore, tasks, config.celebrityThreshold()), ids, clock),
                new Publishing(accounts, posts, new S3UploadSigner(clients.s3Presigner(), config.uploadsBucket()),
                        new S3BlobStore(clients.s3(), config.uploadsBucket()), tasks, new DynamoQuotaStore(dynamo, table),
                        limits.daily(), ids, clock),
                new Engagement(accounts, posts, ids, clock),
                new Feeds(feedStore, posts, experiments),
                profiles,
                new Notifications(new DynamoNotificationStore(dynamo, table)),
                new TagSearch(new DynamoTagStore(dynamo, table), posts, clock),
                new Reports(new DynamoRollupStore(dynamo, table, clock)),
                experiments,
                AwsHealthProbes.forApi(clients),
                new Cursors(cursorSecret.getBytes(StandardCharsets.UTF_8)),
                new S3MediaUrls(clients.s3().utilities(), clients.credentials(), clients.region(), config.mediaBucket(), clock),
                new RateLimiter(limits.writes()),
                new RateLimiter(limits.reads()),
                WebOrigins.of(config));
    }
}
