package dev.glint.fanoutworker;

import dev.glint.lambda.RetryBackoff;
import dev.glint.shared.aws.AppConfigHostedDefinitions;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoExperimentChangeStore;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.aws.DynamoDigestPreferenceStore;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.aws.DynamoNotificationStore;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.DynamoSafetyStore;
import dev.glint.shared.aws.RealtimeAdapters;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.config.DigestSettings;
import dev.glint.shared.digest.DigestJob;
import dev.glint.shared.digest.UnsubscribeTokens;
import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentAdmin;
import dev.glint.shared.experiments.ExperimentGuard;
import dev.glint.shared.feed.FanOutPost;
import dev.glint.shared.feed.NewPostNudges;
import dev.glint.shared.messages.ApproveRequestsJob;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.aws.DynamoPrivacyStore;
import dev.glint.shared.feed.FeedFollows;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Privacy;
import dev.glint.shared.social.Safety;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.ExperimentsCheck;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.realtime.FeedNudges;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How the {@code fanout-worker} function is put together, once per container: the fan-out over the
 * table and the queues, and how a failed page's retries are spaced.
 *
 * @param useCase receives each {@link FanoutJob}, {@link BackfillJob}, promotion, {@link DigestRun} and
 *                {@link ExperimentsCheck}
 * @param backoff absent when nothing spaces retries (tests): the queue's visibility timeout does
 */
public record FanoutWorkerComposition(MessageConsumer<QueueMessage> useCase, Optional<RetryBackoff> backoff) {

    /** Lambda's: configuration from the environment, clients with Lambda's credentials. */
    public static FanoutWorkerComposition fromEnvironment() {
        return fromEnvironment(System.getenv(), AwsClients::fromEnvironment);
    }

    /**
     * From an environment as Lambda would set it, read as Lambda's path reads it, with clients made
     * from its configuration (the local stack's template mode).
     */
    public static FanoutWorkerComposition fromEnvironment(java.util.Map<String, String> env,
                                                java.util.function.Function<dev.glint.shared.config.GlintConfig, AwsClients> clients) {
        return of(clients.apply(dev.glint.shared.config.GlintConfig.fromEnv(env)), DigestSettings.fromEnv(env),
                RealtimeAdapters.endpoint(env), AppConfigLocation.fromEnv(env));
    }

    /**
     * Without digests (a {@link DigestRun} fails, and ends in the dead-letter queue, saying why),
     * without realtime nudges and without experiment checks (an {@link ExperimentsCheck} fails likewise).
     */
    public static FanoutWorkerComposition of(AwsClients clients) {
        return of(clients, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * With the email digest job when {@code digests} is present (the fan-out queue also carries its
     * pages), feed nudges posted to the WebSocket API's management endpoint when it is given, and the
     * experiments' automatic stop ({@link ExperimentGuard}) when the experiments live in AppConfig.
     */
    public static FanoutWorkerComposition of(AwsClients clients, Optional<DigestSettings> digests,
                                             Optional<java.net.URI> realtimeEndpoint,
                                             Optional<AppConfigLocation> experiments) {
        var config = clients.config();
        var sqs = clients.sqs();
        MessageConsumer<QueueMessage> fanout = fanOut(clients, realtimeEndpoint);
        Optional<DigestJob> job = digests.map(settings -> digestJob(clients, settings));
        Optional<ExperimentGuard> guard = experiments.map(location -> experimentGuard(clients, location));
        Privacy privacy = privacy(clients);
        var tasks = new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl());
        MessageConsumer<QueueMessage> useCase = (message, delivery) -> {
            if (message instanceof ApproveRequestsJob approvals) {
                // One page a message; the next page is a message of its own, so no invocation runs long.
                if (privacy.approvePendingPage(approvals.ownerId())) {
                    tasks.send(approvals);
                }
            } else if (message instanceof DigestRun run) {
                job.orElseThrow(() -> new IllegalStateException("this fan-out worker sends no digests: "
                        + DigestSettings.ENV_MAIL_FROM + " is not set")).accept(run, delivery);
            } else if (message instanceof ExperimentsCheck) {
                guard.orElseThrow(() -> new IllegalStateException("this fan-out worker checks no experiments: "
                        + AppConfigLocation.ENV_PROFILE + " is not set")).check();
            } else {
                fanout.accept(message, delivery);
            }
        };
        return new FanoutWorkerComposition(useCase, Optional.of(new RetryBackoff(sqs, config.fanoutQueueUrl())));
    }

    /** The digest job over the function's clients and SES (the same job {@code ./glint digest} runs). */
    public static DigestJob digestJob(AwsClients clients, DigestSettings settings) {
        var config = clients.config();
        var dynamo = clients.dynamoDb();
        Clock clock = Clock.systemUTC();
        var safety = new DynamoSafetyStore(dynamo, config.table());
        return new DigestJob(new DynamoDigestPreferenceStore(dynamo, config.table()),
                new DynamoNotificationStore(dynamo, config.table()),
                new DynamoProfileStore(dynamo, config.table()),
                SesMailSender.of(clients, settings),
                new SqsTaskQueue(clients.sqs(), config.mediaQueueUrl(), config.fanoutQueueUrl()),
                new UnsubscribeTokens(settings.secret(), clock),
                new DigestJob.Links(settings.appUrl().toString(), settings.mailFrom()), clock,
                (userId, actors) -> safety.hidden(userId, actors, true));
    }

    /**
     * The experiments' automatic stop over the function's clients: the definitions and their
     * deployments in AppConfig, the rollups and the change log in the table (the same guard
     * {@code ./glint experiments check} runs).
     */
    public static ExperimentGuard experimentGuard(AwsClients clients, AppConfigLocation location) {
        var config = clients.config();
        var dynamo = clients.dynamoDb();
        Clock clock = Clock.systemUTC();
        // AppConfig's REST API directly (not AppConfigExperiments, whose reader needs the AppConfigData client this jar leaves out).
        var definitions = new AppConfigHostedDefinitions(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)).build(),
                clients.credentials(), clients.region(), location);
        var admin = new ExperimentAdmin(definitions,
                new DynamoExperimentChangeStore(dynamo, config.table()), config.experiments(), clock);
        return new ExperimentGuard(admin, new DynamoExperimentStore(dynamo, config.table()), clock);
    }

    /**
     * Private accounts as the api has them, for approving the requests of an account made public (the
     * approvals this worker makes start no other job: approving is all it asks).
     */
    static Privacy privacy(AwsClients clients) {
        var config = clients.config();
        var dynamo = clients.dynamoDb();
        Clock clock = Clock.systemUTC();
        Ids ids = Ids.system();
        var profiles = new DynamoProfileStore(dynamo, config.table());
        var accounts = new Accounts(profiles, clock);
        var feedFollows = new FeedFollows(profiles, new DynamoFeedStore(dynamo, config.table(), clock),
                new SqsTaskQueue(clients.sqs(), config.mediaQueueUrl(), config.fanoutQueueUrl()), config.celebrityThreshold());
        var safety = new Safety(accounts, new DynamoSafetyStore(dynamo, config.table()), feedFollows, clock);
        var follows = new Follows(accounts, new DynamoFollowStore(dynamo, config.table()), feedFollows, ids, clock);
        return new Privacy(accounts, new DynamoPrivacyStore(dynamo, config.table()), follows, feedFollows,
                safety, ownerId -> { }, ids, clock);
    }

    /** @param realtimeEndpoint the WebSocket API's management endpoint the feed nudges are posted to, if any */
    private static FanOutPost fanOut(AwsClients clients, Optional<java.net.URI> realtimeEndpoint) {
        var config = clients.config();
        var dynamo = clients.dynamoDb();
        var sqs = clients.sqs();
        return new FanOutPost(new DynamoPostStore(dynamo, config.table()),
                new DynamoProfileStore(dynamo, config.table()),
                new DynamoFollowStore(dynamo, config.table()),
                new DynamoFeedStore(dynamo, config.table(), Clock.systemUTC()),
                new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl()),
                config.celebrityThreshold(),
                realtimeEndpoint.isPresent() ? new FeedNudges(RealtimeAdapters.publisher(clients, realtimeEndpoint))
                        : NewPostNudges.NONE);
    }

    /** Another fan-out use case, retried at the queue's own pace (tests). */
    public static FanoutWorkerComposition of(MessageConsumer<QueueMessage> useCase) {
        return new FanoutWorkerComposition(useCase, Optional.empty());
    }
}
