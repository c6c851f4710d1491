package dev.glint.local;

import dev.glint.shared.resources.GlintResources.IndexSpec;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import dev.glint.shared.resources.GlintResources.TableSpec;
import dev.glint.shared.resources.GlintResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates, from {@link GlintResources}, what the CDK app creates on AWS: the table with its indexes,
 * stream and TTL; each queue with its dead-letter queue and redrive policy; the stream's failure
 * queue; the buckets. Idempotent: what exists is kept, so a restart reuses its data.
 */
final class Provisioner {

    private Provisioner() {
    }

    /** Physical names and URLs of what was provisioned. */
    record Provisioned(String table, String streamArn, Map<String, String> queueUrls, Map<String, String> queueArns,
                       Map<String, String> buckets) {
    }

    static String physical(String prefix, String logical) {
        return prefix + "-" + logical;
    }

    static Provisioned provision(String prefix, DynamoDbClient dynamo, SqsClient sqs, S3Client s3,
                                 Optional<Integer> visibilityOverride) {
        String table = physical(prefix, GlintResources.TABLE.logicalName());
        String streamArn = table(dynamo, table, GlintResources.TABLE);

        Map<String, String> urls = new java.util.LinkedHashMap<>();
        Map<String, String> arns = new java.util.LinkedHashMap<>();
        for (QueueSpec queue : GlintResources.QUEUES) {
            String dlqName = physical(prefix, queue.dlqLogicalName());
            String dlqUrl = sqs.createQueue(r -> r.queueName(dlqName).attributes(Map.of(
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.retentionDays() * 86_400)))).queueUrl();
            String dlqArn = arn(sqs, dlqUrl);
            urls.put(queue.dlqLogicalName(), dlqUrl);
            arns.put(queue.dlqLogicalName(), dlqArn);
            String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}";
            int visibility = visibilityOverride.orElse(queue.visibilityTimeoutSeconds());
            String url = sqs.createQueue(r -> r.queueName(physical(prefix, queue.logicalName())).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibility),
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.retentionDays() * 86_400),
                    QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
            urls.put(queue.logicalName(), url);
            arns.put(queue.logicalName(), arn(sqs, url));
        }
        var failures = GlintResources.STREAM_CONSUMER.onFailure();
        String failureUrl = sqs.createQueue(r -> r.queueName(physical(prefix, failures.logicalName())).attributes(Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(failures.retentionDays() * 86_400)))).queueUrl();
        urls.put(failures.logicalName(), failureUrl);
        arns.put(failures.logicalName(), arn(sqs, failureUrl));

        Map<String, String> buckets = new java.util.LinkedHashMap<>();
        for (var bucket : GlintResources.BUCKETS) {
            String name = physical(prefix, bucket.logicalName());
            try {
                s3.createBucket(r -> r.bucket(name));
            } catch (BucketAlreadyOwnedByYouException e) {
                // kept from an earlier run
            }
            buckets.put(bucket.logicalName(), name);
        }
        return new Provisioned(table, streamArn, Map.copyOf(urls), Map.copyOf(arns), Map.copyOf(buckets));
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Creates the table unless it exists; returns its stream ARN. */
    private static String table(DynamoDbClient dynamo, String name, TableSpec spec) {
        try {
            return dynamo.describeTable(r -> r.tableName(name)).table().latestStreamArn();
        } catch (ResourceNotFoundException e) {
            // create it below
        }
        Set<String> keyAttributes = new LinkedHashSet<>(List.of(spec.partitionKey(), spec.sortKey()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (IndexSpec index : spec.indexes()) {
            keyAttributes.add(index.partitionKey());
            keyAttributes.add(index.sortKey());
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
                    .projection(p -> p.projectionType(ProjectionType.ALL))
                    .build());
        }
        dynamo.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(keyAttributes.stream().map(a -> AttributeDefinition.builder()
                        .attributeName(a).attributeType(ScalarAttributeType.S).build()).toList())
                .keySchema(key(spec.partitionKey(), KeyType.HASH), key(spec.sortKey(), KeyType.RANGE))
                .globalSecondaryIndexes(indexes)
                .streamSpecification(s -> s.streamEnabled(true)
                        .streamViewType(StreamViewType.fromValue(spec.streamView().name()))));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        dynamo.updateTimeToLive(r -> r.tableName(name)
                .timeToLiveSpecification(t -> t.enabled(true).attributeName(spec.ttlAttribute())));
        return dynamo.describeTable(r -> r.tableName(name)).table().latestStreamArn();
    }

    private static KeySchemaElement key(String attribute, KeyType type) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(type).build();
    }
}
