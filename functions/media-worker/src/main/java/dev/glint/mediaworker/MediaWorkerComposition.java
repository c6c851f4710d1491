package dev.glint.mediaworker;

import dev.glint.lambda.LambdaEnvironment;
import dev.glint.lambda.RetryBackoff;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.S3RenditionStore;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.media.ImageProcessor;
import dev.glint.shared.media.ProcessMedia;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageConsumer;

import java.util.Optional;

/**
 * How the {@code media-worker} function is put together, once per container: the media pipeline
 * over the table, both buckets and the queues, and how a failed job's retries are spaced.
 *
 * @param backoff absent when nothing spaces retries (tests): the queue's visibility timeout does
 */
public record MediaWorkerComposition(MessageConsumer<MediaJob> useCase, Optional<RetryBackoff> backoff) {

    /** Lambda's: configuration from the environment, clients with Lambda's credentials. */
    public static MediaWorkerComposition fromEnvironment() {
        return of(LambdaEnvironment.clients());
    }

    public static MediaWorkerComposition of(AwsClients clients) {
        var config = clients.config();
        var s3 = clients.s3();
        var sqs = clients.sqs();
        return new MediaWorkerComposition(new ProcessMedia(
                new DynamoPostStore(clients.dynamoDb(), config.table()),
                new S3BlobStore(s3, config.uploadsBucket()), new S3RenditionStore(s3, config.mediaBucket()),
                new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl()),
                new ImageProcessor()),
                Optional.of(new RetryBackoff(sqs, config.mediaQueueUrl())));
    }

    /** Another media use case, retried at the queue's own pace (tests). */
    public static MediaWorkerComposition of(MessageConsumer<MediaJob> useCase) {
        return new MediaWorkerComposition(useCase, Optional.empty());
    }
}
