package dev.glint.streamprocessor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.glint.lambda.LambdaEnvironment;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoAffinityStore;
import dev.glint.shared.aws.DynamoExperimentStore;
import dev.glint.shared.experiments.Conversions;
import dev.glint.shared.experiments.ExperimentConfig;
import dev.glint.shared.ports.AffinityStore;
import dev.glint.shared.social.Feeds;
import dev.glint.shared.aws.DynamoNotificationStore;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoTagStore;
import dev.glint.shared.changes.ApplyChange;
import dev.glint.shared.ids.Ids;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import dev.glint.shared.ports.ChangeConsumer;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The {@code stream-processor} function: consumes the table's change stream in order. */
public final class StreamProcessorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final StreamBatchProcessor processor;

    /** Used by Lambda: configuration and clients from the environment. */
    public StreamProcessorHandler() {
        this(LambdaEnvironment.clients());
    }

    public StreamProcessorHandler(AwsClients clients) {
        this(clients, clients.dynamoDb());
    }

    private StreamProcessorHandler(AwsClients clients, DynamoDbClient dynamo) {
        this(new ApplyChange(new DynamoPostStore(dynamo, clients.config().table()),
                new DynamoNotificationStore(dynamo, clients.config().table()),
                new DynamoTagStore(dynamo, clients.config().table()),
                new DynamoRollupStore(dynamo, clients.config().table(), Clock.systemUTC()), Ids.system(), Clock.systemUTC(),
                new Conversions(clients.config().experiments(), new DynamoExperimentStore(dynamo, clients.config().table()),
                        Clock.systemUTC()),
                affinity(clients.config().experiments(), dynamo, clients.config().table())));
    }

    /** Whom readers interact with is kept only while a stage configures the experiment that ranks by it. */
    private static AffinityStore affinity(ExperimentConfig experiments, DynamoDbClient dynamo, String table) {
        if (experiments.find(Feeds.RANKING_EXPERIMENT).isEmpty()) {
            return interactions -> { };
        }
        return new DynamoAffinityStore(dynamo, table);
    }

    public StreamProcessorHandler(ChangeConsumer useCase) {
        this.processor = new StreamBatchProcessor(useCase);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processor.process(event));
    }
}
