package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

/**
 * Photos survive a bad delete: the media bucket keeps versions (old ones expire, unfinished uploads
 * are aborted), and prod backs the table and the media bucket up daily with AWS Backup.
 */
class MediaDurabilityTest {

    private static Template template(String stage) {
        return SynthesizedStages.stage(stage).template();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta", "prod"})
    void theMediaBucketKeepsVersionsAndExpiresTheOldOnes(String stage) {
        Template template = template(stage);
        int days = GlintResources.MEDIA_BUCKET.noncurrentVersionDays().orElseThrow();
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", GlintResources.MEDIA_BUCKET.logicalName() + "/")),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", List.of(Map.of(
                        "Id", "expire-noncurrent-versions",
                        "Status", "Enabled",
                        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", days),
                        "ExpiredObjectDeleteMarker", true,
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))))));
        // Uploads live a day at most: nothing to keep versions of.
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", GlintResources.UPLOADS_BUCKET.logicalName() + "/")),
                "VersioningConfiguration", Match.absent()));
    }

    @Test
    void prodBacksUpTheTableAndTheMediaBucketDaily() {
        Template template = template("prod");
        template.resourceCountIs("AWS::Backup::BackupPlan", 1);
        template.hasResourceProperties("AWS::Backup::BackupPlan", Map.of("BackupPlan", Match.objectLike(Map.of(
                "BackupPlanRule", List.of(Match.objectLike(Map.of(
                        "ScheduleExpression", "cron(0 3 * * ? *)",
                        "Lifecycle", Map.of("DeleteAfterDays", DataResources.BACKUP_RETENTION_DAYS))))))));
        String table = Templates.logicalId(template, "AWS::DynamoDB::Table", Map.of());
        String media = Templates.logicalId(template, "AWS::S3::Bucket", Map.of("VersioningConfiguration", Map.of("Status", "Enabled")));
        template.hasResourceProperties("AWS::Backup::BackupSelection", Map.of("BackupSelection", Match.objectLike(Map.of(
                "Resources", List.of(Map.of("Fn::GetAtt", List.of(table, "Arn")), Map.of("Fn::GetAtt", List.of(media, "Arn")))))));
        // The vault outlives the stack: recovery points are what is left when everything else is gone.
        template.hasResource("AWS::Backup::BackupVault", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain",
                "Type", "AWS::Backup::BackupVault", "Properties", Match.anyValue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "beta"})
    void onlyProdPaysForBackups(String stage) {
        template(stage).resourceCountIs("AWS::Backup::BackupPlan", 0);
    }
}
