package dev.glint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.GlintConfig;
import dev.glint.streamprocessor.StreamProcessorComposition;
import dev.glint.shared.resources.GlintResources;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code ./glint dlq list|show|redrive QUEUE}: inspects and redrives a queue's dead-letter queue,
 * or the stream records parked on {@code stream-failures} ({@link StreamFailures}),
 * locally (the running stack's environment) or on AWS (the same variables, set from a stage's
 * outputs, and the usual AWS credentials). The dead-letter queue is found from the queue's own
 * redrive policy, so no name is assumed.
 */
public final class Dlq {

    private final SqsClient sqs;
    private final PrintStream out;

    Dlq(SqsClient sqs, PrintStream out) {
        this.sqs = sqs;
        this.out = out;
    }

    /** The stream processor's failure queue: descriptions of records given up, not messages to move back. */
    static final String STREAM_FAILURES = GlintResources.STREAM_CONSUMER.onFailure().logicalName();

    public static void main(String[] args) {
        if (args.length != 2 || !List.of("list", "show", "redrive").contains(args[0])) {
            System.err.println("usage: ./glint dlq list|show|redrive QUEUE   (queues: "
                    + GlintResources.QUEUES.stream().map(GlintResources.QueueSpec::logicalName).toList() + ", " + STREAM_FAILURES + ")");
            System.exit(2);
        }
        GlintConfig config = GlintConfig.fromEnv(System.getenv());
        if (args[1].equals(STREAM_FAILURES)) {
            streamFailures(config, args[0]);
            return;
        }
        var builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).region(Region.of(config.region()));
        config.endpoints().sqs().ifPresent(builder::endpointOverride);
        try (SqsClient sqs = builder.build()) {
            Dlq dlq = new Dlq(sqs, System.out);
            String queueUrl = queueUrl(config, args[1]);
            switch (args[0]) {
                case "list" -> dlq.list(queueUrl);
                case "show" -> dlq.show(queueUrl, 10);
                default -> dlq.redrive(queueUrl);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("glint dlq: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * {@code list|show|redrive stream-failures}: against the running local stack, or a stage whose
     * {@code GLINT_*} variables (and {@code GLINT_STREAM_FAILURES_QUEUE_URL}, the stage's
     * {@code StreamFailuresQueueUrl} output) are exported; a redrive writes to the table with the
     * caller's credentials, through the stream processor's own code.
     */
    private static void streamFailures(GlintConfig config, String action) {
        String envVar = GlintResources.STREAM_CONSUMER.onFailure().envVar();
        String queueUrl = System.getenv(envVar);
        if (queueUrl == null || queueUrl.isBlank()) {
            System.err.println("glint dlq: " + envVar + " is not set (a stage's StreamFailuresQueueUrl output)");
            System.exit(2);
        }
        AwsClients clients = AwsClients.fromEnvironment(config);
        var streamsBuilder = DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).region(Region.of(config.region()));
        config.endpoints().dynamoDb().ifPresent(streamsBuilder::endpointOverride);
        try (DynamoDbStreamsClient streams = streamsBuilder.build()) {
            var composition = StreamProcessorComposition.of(clients);
            StreamFailures failures = new StreamFailures(clients.sqs(), streams, queueUrl,
                    new StreamBatchProcessor(composition.decoder(), composition.useCase()), System.out);
            switch (action) {
                case "list" -> failures.list();
                case "show" -> failures.show(10);
                default -> {
                    if (failures.redrive().rangesLeft() > 0) {
                        System.exit(1);
                    }
                }
            }
        }
    }

    static String queueUrl(GlintConfig config, String logicalName) {
        if (logicalName.equals(GlintResources.MEDIA_QUEUE.logicalName())) {
            return config.mediaQueueUrl();
        }
        if (logicalName.equals(GlintResources.FANOUT_QUEUE.logicalName())) {
            return config.fanoutQueueUrl();
        }
        throw new IllegalArgumentException("no queue " + logicalName + "; queues: "
                + GlintResources.QUEUES.stream().map(GlintResources.QueueSpec::logicalName).toList());
    }

    /** The dead-letter queue's URL, from the queue's redrive policy. */
    String deadLetterQueue(String queueUrl) {
        String policy = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null) {
            throw new IllegalArgumentException(queueUrl + " has no dead-letter queue");
        }
        try {
            String arn = new ObjectMapper().readTree(policy).path("deadLetterTargetArn").asText();
            String name = arn.substring(arn.lastIndexOf(':') + 1);
            return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable redrive policy on " + queueUrl);
        }
    }

    void list(String queueUrl) {
        String dlq = deadLetterQueue(queueUrl);
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        out.printf("%s%n  waiting %s, in flight %s%n", dlq, attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Prints up to {@code max} messages without consuming them (they become visible again at once). */
    int show(String queueUrl, int max) {
        String dlq = deadLetterQueue(queueUrl);
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(Math.min(10, max))
                .visibilityTimeout(0).waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        for (Message message : messages) {
            out.printf("%s  received %s times%n  %s%n", message.messageId(),
                    message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), message.body());
        }
        if (messages.isEmpty()) {
            out.println("(empty)");
        }
        return messages.size();
    }

    /** Moves every message back to the queue: sent first, then deleted, so none is lost. */
    int redrive(String queueUrl) {
        String dlq = deadLetterQueue(queueUrl);
        int moved = 0;
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10)
                    .visibilityTimeout(60).waitTimeSeconds(1).messageAttributeNames("All")).messages();
            if (messages.isEmpty()) {
                break;
            }
            for (Message message : messages) {
                sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.body()).messageAttributes(message.messageAttributes()));
                sqs.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(message.receiptHandle()));
                moved++;
            }
        }
        out.printf("redrove %d message(s) from %s to %s%n", moved, dlq, queueUrl);
        return moved;
    }
}
