package dev.glint.mediaworker;

import dev.glint.lambda.RetryBackoff;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.S3RenditionStore;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.media.ImageProcessor;
import dev.glint.shared.media.ProcessMedia;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.media.PurgePost;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.PurgeJob;
import dev.glint.shared.messages.QueueMessage;

import java.util.Optional;

/**
 * How the {@code media-worker} function is put together, once per container: the media pipeline
 * ({@link MediaJob}) and the purge of deleted posts ({@link PurgeJob}) over the table, both buckets
 * and the queues, and how a failed job's retries are spaced.
 *
 * @param backoff absent when nothing spaces retries (tests): the queue's visibility timeout does
 */
public record MediaWorkerComposition(MessageConsumer<QueueMessage> useCase, Optional<RetryBackoff> backoff) {

    /** Lambda's: configuration from the environment, clients with Lambda's credentials. */
    public static MediaWorkerComposition fromEnvironment() {
        return fromEnvironment(System.getenv(), AwsClients::fromEnvironment);
    }

    /**
     * From an environment as Lambda would set it, read as Lambda's path reads it, with clients made
     * from its configuration (the local stack's template mode).
     */
    public static MediaWorkerComposition fromEnvironment(java.util.Map<String, String> env,
                                                java.util.function.Function<dev.glint.shared.config.GlintConfig, AwsClients> clients) {
        return of(clients.apply(dev.glint.shared.config.GlintConfig.fromEnv(env)));
    }

    public static MediaWorkerComposition of(AwsClients clients) {
        var config = clients.config();
        var s3 = clients.s3();
        var sqs = clients.sqs();
        var posts = new DynamoPostStore(clients.dynamoDb(), config.table());
        var renditions = new S3RenditionStore(s3, config.mediaBucket());
        var tasks = new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl());
        ProcessMedia process = new ProcessMedia(posts, new S3BlobStore(s3, config.uploadsBucket()), renditions, tasks,
                new ImageProcessor());
        PurgePost purge = new PurgePost(posts, renditions, tasks);
        return new MediaWorkerComposition((message, delivery) -> {
            if (message instanceof MediaJob job) {
                process.accept(job, delivery);
            } else if (message instanceof PurgeJob job) {
                purge.accept(job, delivery);
            } else {
                throw new IllegalArgumentException("the media worker does not handle " + message.type());
            }
        }, Optional.of(new RetryBackoff(sqs, config.mediaQueueUrl())));
    }

    /** Another use case of the media queue's messages, retried at the queue's own pace (tests). */
    public static MediaWorkerComposition of(MessageConsumer<QueueMessage> useCase) {
        return new MediaWorkerComposition(useCase, Optional.empty());
    }
}
