package dev.glint.streamprocessor;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoAffinityStore;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.aws.DynamoNotificationStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoSafetyStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoTagStore;
import dev.glint.shared.aws.RealtimeAdapters;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.aws.StreamDecoder;
import dev.glint.shared.changes.ApplyChange;
import dev.glint.shared.changes.ChangeConsumer;
import dev.glint.shared.experiments.Conversions;
import dev.glint.shared.aws.AppConfigExperiments;
import dev.glint.shared.experiments.AppConfigLocation;
import dev.glint.shared.experiments.ExperimentSource;
import dev.glint.shared.feed.AffinityStore;
import dev.glint.shared.feed.Feeds;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.realtime.NotifyingNotificationStore;
import dev.glint.shared.realtime.Publisher;
import dev.glint.shared.realtime.RealtimeChanges;
import dev.glint.shared.social.NotificationStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.Optional;

/**
 * How the {@code stream-processor} function is put together, once per container: the stream
 * adapter that reads change records into typed changes, and what is derived from them.
 */
public record StreamProcessorComposition(StreamDecoder decoder, ChangeConsumer useCase) {

    /** Lambda's: configuration from the environment, clients with Lambda's credentials. */
    public static StreamProcessorComposition fromEnvironment() {
        return fromEnvironment(System.getenv(), AwsClients::fromEnvironment);
    }

    /**
     * From an environment as Lambda would set it, read as Lambda's path reads it, with clients made
     * from its configuration (the local stack's template mode).
     */
    public static StreamProcessorComposition fromEnvironment(java.util.Map<String, String> env,
                                                java.util.function.Function<dev.glint.shared.config.GlintConfig, AwsClients> clients) {
        Optional<AppConfigLocation> appConfig;
        try {
            appConfig = AppConfigLocation.fromEnv(env);
        } catch (IllegalArgumentException e) {
            throw new dev.glint.shared.config.GlintConfig.ConfigurationException("Glint is misconfigured: " + e.getMessage());
        }
        return of(clients.apply(dev.glint.shared.config.GlintConfig.fromEnv(env)), RealtimeAdapters.endpoint(env), appConfig);
    }

    public static StreamProcessorComposition of(AwsClients clients) {
        return of(clients, Optional.empty());
    }

    public static StreamProcessorComposition of(AwsClients clients, Optional<java.net.URI> realtimeEndpoint) {
        return of(clients, realtimeEndpoint, Optional.empty());
    }

    /**
     * @param realtimeEndpoint the WebSocket API's management endpoint to which new notifications and
     *                         posts' counts are posted; without one, nothing realtime is done
     * @param appConfig        where the experiments are read at run time; without it, the stage's file
     */
    public static StreamProcessorComposition of(AwsClients clients, Optional<java.net.URI> realtimeEndpoint,
                                                Optional<AppConfigLocation> appConfig) {
        var config = clients.config();
        ExperimentSource experiments = appConfig.map(location -> AppConfigExperiments.source(clients, location,
                config.experiments())).orElseGet(() -> ExperimentSource.fixed(config.experiments()));
        var dynamo = clients.dynamoDb();
        Clock clock = Clock.systemUTC();
        var posts = new DynamoPostStore(dynamo, config.table());
        var outbox = new Publisher.Outbox();
        var safety = new DynamoSafetyStore(dynamo, config.table());
        NotificationStore notifications = new DynamoNotificationStore(dynamo, config.table());
        if (realtimeEndpoint.isPresent()) {
            notifications = new NotifyingNotificationStore(notifications, outbox);
        }
        ChangeConsumer changes = new ApplyChange(
                posts,
                notifications,
                new DynamoTagStore(dynamo, config.table()),
                new DynamoRollupStore(dynamo, config.table(), clock),
                // The SQS client is built on the first purge, not at every cold start.
                message -> new SqsTaskQueue(clients.sqs(), config.mediaQueueUrl(), config.fanoutQueueUrl()).send(message),
                Ids.system(), clock,
                new Conversions(experiments, new DynamoExperimentStore(dynamo, config.table())),
                affinity(experiments, dynamo, config.table()),
                (userId, actors) -> safety.hidden(userId, actors, true));
        if (realtimeEndpoint.isPresent()) {
            changes = new RealtimeChanges(changes, RealtimeAdapters.publisher(clients, realtimeEndpoint), outbox, posts);
        }
        return new StreamProcessorComposition(new StreamDecoder(clock), changes);
    }

    /** Another use case of the same changes (tests). */
    public static StreamProcessorComposition of(ChangeConsumer useCase) {
        return new StreamProcessorComposition(new StreamDecoder(Clock.systemUTC()), useCase);
    }

    /**
     * Whom readers interact with is kept only while the stage's experiments declare the one that ranks
     * by it (checked on each batch: the experiments may change at run time).
     */
    private static AffinityStore affinity(ExperimentSource experiments, DynamoDbClient dynamo, String table) {
        AffinityStore store = new DynamoAffinityStore(dynamo, table);
        return interactions -> {
            if (experiments.current().find(Feeds.RANKING_EXPERIMENT).isPresent()) {
                store.record(interactions);
            }
        };
    }
}
