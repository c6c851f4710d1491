package dev.glint.fanoutworker;

import dev.glint.lambda.RetryBackoff;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.RealtimeAdapters;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.feed.FanOutPost;
import dev.glint.shared.feed.NewPostNudges;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.realtime.FeedNudges;

import java.time.Clock;
import java.util.Optional;

/**
 * How the {@code fanout-worker} function is put together, once per container: the fan-out over the
 * table and the queues, and how a failed page's retries are spaced.
 *
 * @param useCase receives each {@link FanoutJob} or {@link BackfillJob}
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
        return of(clients.apply(dev.glint.shared.config.GlintConfig.fromEnv(env)), RealtimeAdapters.endpoint(env));
    }

    public static FanoutWorkerComposition of(AwsClients clients) {
        return of(clients, Optional.empty());
    }

    /** @param realtimeEndpoint the WebSocket API's management endpoint the feed nudges are posted to, if any */
    public static FanoutWorkerComposition of(AwsClients clients, Optional<java.net.URI> realtimeEndpoint) {
        var config = clients.config();
        var dynamo = clients.dynamoDb();
        var sqs = clients.sqs();
        return new FanoutWorkerComposition(new FanOutPost(new DynamoPostStore(dynamo, config.table()),
                new DynamoProfileStore(dynamo, config.table()),
                new DynamoFollowStore(dynamo, config.table()),
                new DynamoFeedStore(dynamo, config.table(), Clock.systemUTC()),
                new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl()),
                config.celebrityThreshold(),
                realtimeEndpoint.isPresent() ? new FeedNudges(RealtimeAdapters.publisher(clients, realtimeEndpoint))
                        : NewPostNudges.NONE),
                Optional.of(new RetryBackoff(sqs, config.fanoutQueueUrl())));
    }

    /** Another fan-out use case, retried at the queue's own pace (tests). */
    public static FanoutWorkerComposition of(MessageConsumer<QueueMessage> useCase) {
        return new FanoutWorkerComposition(useCase, Optional.empty());
    }
}
