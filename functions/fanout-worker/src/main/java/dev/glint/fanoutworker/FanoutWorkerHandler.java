package dev.glint.fanoutworker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.glint.lambda.LambdaEnvironment;
import dev.glint.lambda.SqsBatchProcessor;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.feed.FanOutPost;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.ports.MessageConsumer;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code fanout-worker} function: consumes the {@code fanout} queue, one {@link FanoutJob} per message. */
public final class FanoutWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final SqsBatchProcessor<FanoutJob> processor;

    /** Used by Lambda: configuration and clients from the environment. */
    public FanoutWorkerHandler() {
        this(LambdaEnvironment.clients());
    }

    public FanoutWorkerHandler(AwsClients clients) {
        this(new FanOutPost());
    }

    public FanoutWorkerHandler(MessageConsumer<FanoutJob> useCase) {
        this.processor = new SqsBatchProcessor<>(FanoutJob.class, useCase);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processor.process(event));
    }
}
