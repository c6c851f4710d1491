package dev.glint.fanoutworker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.LambdaEnvironment;
import dev.glint.lambda.SqsBatchProcessor;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.feed.FanOutPost;
import dev.glint.shared.aws.DynamoFeedStore;
import dev.glint.shared.aws.DynamoFollowStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoProfileStore;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.lambda.RetryBackoff;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import dev.glint.shared.ports.MessageConsumer;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code fanout-worker} function: consumes the {@code fanout} queue: fan-out pages and follow back-fills. */
public final class FanoutWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final SqsBatchProcessor<QueueMessage> processor;

    /** Used by Lambda: configuration and clients from the environment. */
    public FanoutWorkerHandler() {
        this(LambdaEnvironment.clients());
    }

    public FanoutWorkerHandler(AwsClients clients) {
        this(clients, clients.dynamoDb(), clients.sqs());
    }

    private FanoutWorkerHandler(AwsClients clients, DynamoDbClient dynamo, SqsClient sqs) {
        this(processor(new FanOutPost(new DynamoPostStore(dynamo, clients.config().table()),
                new DynamoProfileStore(dynamo, clients.config().table()),
                new DynamoFollowStore(dynamo, clients.config().table()),
                new DynamoFeedStore(dynamo, clients.config().table(), Clock.systemUTC()),
                new SqsTaskQueue(sqs, clients.config().mediaQueueUrl(), clients.config().fanoutQueueUrl()),
                clients.config().celebrityThreshold()))
                .withBackoff(new RetryBackoff(sqs, clients.config().fanoutQueueUrl())));
    }

    /** @param useCase receives each {@link FanoutJob} or {@link BackfillJob} */
    public FanoutWorkerHandler(MessageConsumer<QueueMessage> useCase) {
        this(processor(useCase));
    }

    private FanoutWorkerHandler(SqsBatchProcessor<QueueMessage> processor) {
        this.processor = processor;
    }

    private static SqsBatchProcessor<QueueMessage> processor(MessageConsumer<QueueMessage> useCase) {
        return new SqsBatchProcessor<>(body -> MessageCodec.decodeAny(body, FanoutJob.class, BackfillJob.class), useCase);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processor.process(event));
    }
}
