package dev.glint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.resources.GlintResources;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code ./glint dlq list|show|redrive QUEUE}: inspects and redrives a queue's dead-letter queue,
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

    public static void main(String[] args) {
        if (args.length != 2 || !List.of("list", "show", "redrive").contains(args[0])) {
            System.err.println("usage: ./glint dlq list|show|redrive QUEUE   (queues: "
                    + GlintResources.QUEUES.stream().map(GlintResources.QueueSpec::logicalName).toList() + ")");
            System.exit(2);
        }
        GlintConfig config = GlintConfig.fromEnv(System.getenv());
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
