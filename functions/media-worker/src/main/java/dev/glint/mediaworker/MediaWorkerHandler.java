package dev.glint.mediaworker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.LambdaEnvironment;
import dev.glint.lambda.SqsBatchProcessor;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.media.ImageProcessor;
import dev.glint.lambda.RetryBackoff;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import dev.glint.shared.media.ProcessMedia;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.ports.MessageConsumer;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code media-worker} function: consumes the {@code media} queue, one {@link MediaJob} per message. */
public final class MediaWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final SqsBatchProcessor<MediaJob> processor;

    /** Used by Lambda: configuration and clients from the environment. */
    public MediaWorkerHandler() {
        this(LambdaEnvironment.clients());
    }

    public MediaWorkerHandler(AwsClients clients) {
        this(clients, clients.s3(), clients.sqs());
    }

    private MediaWorkerHandler(AwsClients clients, S3Client s3, SqsClient sqs) {
        this(new SqsBatchProcessor<>(MediaJob.class, new ProcessMedia(
                new DynamoPostStore(clients.dynamoDb(), clients.config().table()),
                new S3BlobStore(s3, clients.config().uploadsBucket()), new S3BlobStore(s3, clients.config().mediaBucket()),
                new SqsTaskQueue(sqs, clients.config().mediaQueueUrl(), clients.config().fanoutQueueUrl()),
                new ImageProcessor()))
                .withBackoff(new RetryBackoff(sqs, clients.config().mediaQueueUrl())));
    }

    /** A handler around another media use case (tests). */
    public MediaWorkerHandler(MessageConsumer<MediaJob> useCase) {
        this(new SqsBatchProcessor<>(MediaJob.class, useCase));
    }

    private MediaWorkerHandler(SqsBatchProcessor<MediaJob> processor) {
        this.processor = processor;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processor.process(event));
    }
}
