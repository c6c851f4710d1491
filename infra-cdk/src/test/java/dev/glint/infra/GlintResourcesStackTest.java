package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A stage's data resources are built from the same resource description as the local stack: check
 * each promise, on the dev stage (and prod where the two differ).
 */
class GlintResourcesStackTest {

    private static Template template;
    private static Template prod;

    @BeforeAll
    static void synthesize() {
        template = SynthesizedStages.stage("dev").template();
        prod = SynthesizedStages.stage("prod").template();
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
        template.allResourcesProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void bucketsBlockPublicAccessAndUnusedUploadsExpire() {
        // the described buckets and the access log bucket
        template.resourceCountIs("AWS::S3::Bucket", GlintResources.BUCKETS.size() + 1);
        template.allResourcesProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))))));
        int days = GlintResources.UPLOADS_BUCKET.expireAfterDays().orElseThrow();
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Id", "expire-unused-uploads", "Prefix", "uploads/", "ExpirationInDays", days, "Status", "Enabled")))))));
    }

    @Test
    void exportArchivesExpireAfterAWeekAndUploadsAfterADayEachByItsOwnPrefix() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LifecycleConfiguration", Map.of("Rules", List.of(
                        Match.objectLike(Map.of("Id", "expire-unused-uploads", "Prefix", "uploads/",
                                "ExpirationInDays", 1, "Status", "Enabled")),
                        Match.objectLike(Map.of("Id", "expire-export-archives", "Prefix", "exports/",
                                "ExpirationInDays", 7, "Status", "Enabled"))))));
        assertEquals(GlintResources.EXPORT_ARCHIVE_DAYS, dev.glint.shared.export.DataExports.KEPT.toDays(),
                "the export's record and download promise the archive as long as the bucket keeps it");
    }

    @Test
    void everyBucketPolicyRefusesRequestsWithoutTls() {
        template.resourceCountIs("AWS::S3::BucketPolicy", GlintResources.BUCKETS.size() + 1);
        template.allResourcesProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Action", "s3:*",
                        "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void theWebClientMayPutPresignedUploadsAndReadMediaFromItsOriginsOnly() {
        List<String> origins = StageSettings.forStage("dev").webOrigins();
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "LifecycleConfiguration", Match.anyValue(),
                "CorsConfiguration", Map.of("CorsRules", List.of(Match.objectLike(Map.of(
                        "AllowedMethods", List.of("PUT"),
                        "AllowedOrigins", origins,
                        "AllowedHeaders", Match.arrayWith(List.of("content-type")))))))));
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Map.of("CorsRules", List.of(Match.objectLike(Map.of(
                        "AllowedMethods", List.of("GET", "HEAD"),
                        "AllowedOrigins", origins)))))));
    }

    @Test
    void theDescribedBucketsLogAccessToTheAccessLogBucket() {
        String logs = Templates.logicalId(template, "AWS::S3::Bucket", Map.of(
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of("Id", "expire-access-logs"))))));
        for (var bucket : GlintResources.BUCKETS) {
            template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                    "LoggingConfiguration", Map.of(
                            "DestinationBucketName", Map.of("Ref", logs),
                            "LogFilePrefix", bucket.logicalName() + "/")));
        }
    }

    @Test
    void prodKeepsItsDataWhenTheStackGoesAndDevCleansUp() {
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool")) {
            prod.allResources(type, Match.objectLike(Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
            template.allResources(type, Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        }
        prod.hasResourceProperties("AWS::DynamoDB::Table", Map.of("DeletionProtectionEnabled", true));
        prod.hasResourceProperties("AWS::Cognito::UserPool", Map.of("DeletionProtection", "ACTIVE"));
        // Dev buckets empty themselves on delete, or the stack could not be deleted.
        template.resourceCountIs("Custom::S3AutoDeleteObjects", GlintResources.BUCKETS.size() + 1);
        prod.resourceCountIs("Custom::S3AutoDeleteObjects", 0);
    }

    @Test
    void noPhysicalNameIsFixedSoStagesDeploySideBySide() {
        for (var entry : Map.of("AWS::SQS::Queue", "QueueName", "AWS::S3::Bucket", "BucketName",
                "AWS::DynamoDB::Table", "TableName", "AWS::Cognito::UserPool", "UserPoolName").entrySet()) {
            template.findResources(entry.getKey()).values().forEach(resource -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
                assertFalse(properties.containsKey(entry.getValue()), entry.getKey() + " fixes " + entry.getValue());
            });
        }
    }
}
