package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The stack is built from the same resource description as the local stack: check each promise. */
class GlintResourcesStackTest {

    private static Template template;

    @BeforeAll
    static void synthesize() {
        App app = new App();
        template = Template.fromStack(new GlintResourcesStack(app, "Test", null));
    }

    @Test
    void theTableHasTheDescribedKeysIndexesStreamAndTtl() {
        var spec = GlintResources.TABLE;
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", spec.partitionKey(), "KeyType", "HASH"),
                        Map.of("AttributeName", spec.sortKey(), "KeyType", "RANGE")),
                "BillingMode", "PAY_PER_REQUEST",
                "StreamSpecification", Map.of("StreamViewType", spec.streamView().name()),
                "TimeToLiveSpecification", Map.of("AttributeName", spec.ttlAttribute(), "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "GlobalSecondaryIndexes", spec.indexes().stream().map(index -> Match.objectLike(Map.of(
                        "IndexName", index.name(),
                        "KeySchema", List.of(
                                Map.of("AttributeName", index.partitionKey(), "KeyType", "HASH"),
                                Map.of("AttributeName", index.sortKey(), "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL")))).toList()));
    }

    @Test
    void everyWorkQueueHasADeadLetterQueueWithTheDescribedMaxReceiveCount() {
        for (var queue : GlintResources.QUEUES) {
            template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                    "VisibilityTimeout", queue.visibilityTimeoutSeconds(),
                    "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", queue.maxReceiveCount()))));
        }
        // work queues, their dead-letter queues, and the stream's failure queue
        template.resourceCountIs("AWS::SQS::Queue", GlintResources.QUEUES.size() * 2 + 1);
    }

    @Test
    void queuesAreEncryptedAndRefuseInsecureTransport() {
        Map<String, Map<String, Object>> queues = template.findResources("AWS::SQS::Queue");
        queues.values().forEach(queue -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) queue.get("Properties");
            assertEquals(true, properties.get("SqsManagedSseEnabled"), queue.toString());
        });
        template.resourceCountIs("AWS::SQS::QueuePolicy", queues.size());
    }

    @Test
    void bucketsBlockPublicAccessAndUnusedUploadsExpire() {
        template.resourceCountIs("AWS::S3::Bucket", GlintResources.BUCKETS.size());
        template.allResourcesProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true))));
        int days = GlintResources.UPLOADS_BUCKET.expireAfterDays().orElseThrow();
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "ExpirationInDays", days, "Status", "Enabled"))))));
    }

    @Test
    void noPhysicalNameIsFixedSoStagesDeploySideBySide() {
        for (var entry : Map.of("AWS::SQS::Queue", "QueueName", "AWS::S3::Bucket", "BucketName",
                "AWS::DynamoDB::Table", "TableName").entrySet()) {
            template.findResources(entry.getKey()).values().forEach(resource -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
                assertFalse(properties.containsKey(entry.getValue()), entry.getKey() + " fixes " + entry.getValue());
            });
        }
    }
}
