package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.BucketSpec;
import dev.glint.shared.resources.GlintResources.IndexSpec;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's data resources, built from {@link GlintResources} (the description the local stack
 * provisions too): the table with its indexes, stream and TTL; every queue with its dead-letter
 * queue; the stream's failure queue; the buckets. No physical name is fixed, so any number of
 * stages deploy side by side. Functions, the HTTP API and deployment safety build on this.
 */
public final class GlintResourcesStack extends Stack {

    private final Table table;
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Bucket> buckets = new LinkedHashMap<>();

    public GlintResourcesStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        var spec = GlintResources.TABLE;
        table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name(spec.partitionKey()).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(spec.sortKey()).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .stream(StreamViewType.valueOf(spec.streamView().name()))
                .timeToLiveAttribute(spec.ttlAttribute())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (IndexSpec index : spec.indexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(Attribute.builder().name(index.partitionKey()).type(AttributeType.STRING).build())
                    .sortKey(Attribute.builder().name(index.sortKey()).type(AttributeType.STRING).build())
                    .projectionType(ProjectionType.ALL)
                    .build());
        }

        for (QueueSpec queue : GlintResources.QUEUES) {
            String name = construct(queue.logicalName());
            Queue dlq = Queue.Builder.create(this, name + "DeadLetterQueue")
                    .retentionPeriod(Duration.days(queue.retentionDays()))
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .build();
            Queue main = Queue.Builder.create(this, name + "Queue")
                    .visibilityTimeout(Duration.seconds(queue.visibilityTimeoutSeconds()))
                    .retentionPeriod(Duration.days(queue.retentionDays()))
                    .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(queue.maxReceiveCount()).build())
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .build();
            queues.put(queue.dlqLogicalName(), dlq);
            queues.put(queue.logicalName(), main);
        }
        var failures = GlintResources.STREAM_CONSUMER.onFailure();
        queues.put(failures.logicalName(), Queue.Builder.create(this, construct(failures.logicalName()) + "Queue")
                .retentionPeriod(Duration.days(failures.retentionDays()))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build());

        for (BucketSpec bucket : GlintResources.BUCKETS) {
            var builder = Bucket.Builder.create(this, construct(bucket.logicalName()) + "Bucket")
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .encryption(BucketEncryption.S3_MANAGED)
                    .enforceSsl(true)
                    .removalPolicy(RemovalPolicy.RETAIN);
            bucket.expireAfterDays().ifPresent(days -> builder.lifecycleRules(List.of(LifecycleRule.builder()
                    .id("expire-unused-uploads")
                    .expiration(Duration.days(days))
                    .abortIncompleteMultipartUploadAfter(Duration.days(1))
                    .build())));
            buckets.put(bucket.logicalName(), builder.build());
        }
    }

    public Table table() {
        return table;
    }

    /** The queue with the given logical name (a dead-letter queue is {@code <name>-dlq}). */
    public Queue queue(String logicalName) {
        Queue queue = queues.get(logicalName);
        if (queue == null) {
            throw new IllegalArgumentException("no queue " + logicalName);
        }
        return queue;
    }

    public Bucket bucket(String logicalName) {
        Bucket bucket = buckets.get(logicalName);
        if (bucket == null) {
            throw new IllegalArgumentException("no bucket " + logicalName);
        }
        return bucket;
    }

    /** "stream-failures" becomes "StreamFailures": construct ids, never physical names. */
    static String construct(String logicalName) {
        StringBuilder out = new StringBuilder();
        for (String part : logicalName.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
