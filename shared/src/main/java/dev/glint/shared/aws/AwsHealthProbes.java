package dev.glint.shared.aws;

import dev.glint.shared.health.HealthProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.function.Supplier;

/** Health probes backed by one cheap, read-only call to each AWS service. */
public final class AwsHealthProbes {

    private static final Logger LOG = LoggerFactory.getLogger(AwsHealthProbes.class);

    private AwsHealthProbes() {
    }

    /**
     * The api's probes: the table, both buckets and both work queues, through the function's own clients.
     * A bucket is asked where it is (GetBucketLocation), not headed: HeadBucket needs s3:ListBucket,
     * which would let the api list the bucket's keys.
     */
    public static List<HealthProbe> forApi(AwsClients clients) {
        var config = clients.config();
        DynamoDbClient dynamo = clients.dynamoDb();
        S3Client s3 = clients.s3();
        SqsClient sqs = clients.sqs();
        return List.of(
                probe("table", () -> dynamo.describeTable(r -> r.tableName(config.table())).table().tableStatusAsString()),
                probe("media-bucket", () -> {
                    s3.getBucketLocation(r -> r.bucket(config.mediaBucket()));
                    return "reachable";
                }),
                probe("uploads-bucket", () -> {
                    s3.getBucketLocation(r -> r.bucket(config.uploadsBucket()));
                    return "reachable";
                }),
                probe("media-queue", () -> queueDepth(sqs, config.mediaQueueUrl())),
                probe("fanout-queue", () -> queueDepth(sqs, config.fanoutQueueUrl())));
    }

    private static String queueDepth(SqsClient sqs, String url) {
        String depth = sqs.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return "approximateMessages=" + depth;
    }

    private static HealthProbe probe(String component, Supplier<String> call) {
        return new HealthProbe() {
            @Override
            public String component() {
                return component;
            }

            @Override
            public Result check() {
                long start = System.nanoTime();
                try {
                    String detail = call.get();
                    return new Result(true, (System.nanoTime() - start) / 1_000_000, detail);
                } catch (RuntimeException e) {
                    LOG.warn("health probe {} failed", component, e);
                    return new Result(false, (System.nanoTime() - start) / 1_000_000, "unreachable");
                }
            }
        };
    }
}
