package dev.glint.infra;

import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.BucketSpec;
import dev.glint.shared.resources.GlintResources.IndexSpec;
import dev.glint.shared.resources.GlintResources.QueueSpec;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.backup.BackupPlan;
import software.amazon.awscdk.services.backup.BackupPlanRule;
import software.amazon.awscdk.services.backup.BackupResource;
import software.amazon.awscdk.services.backup.BackupSelectionOptions;
import software.amazon.awscdk.services.backup.BackupVault;
import software.amazon.awscdk.services.events.CronOptions;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolEmail;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;
import software.amazon.awscdk.services.cognito.UserPoolSESOptions;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
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
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's stateful resources, built from {@link GlintResources} (the description the local stack
 * provisions too): the table with its indexes, stream and TTL; every queue with its dead-letter
 * queue; the stream's failure queue; the buckets; the user pool. No physical name is fixed, so any
 * number of stages deploy side by side.
 */
public final class DataResources extends Construct {

    /** Where the api presigns uploads: {@code Keys.uploadObject} puts every original under this prefix. */
    public static final String UPLOAD_OBJECTS = "uploads/*";
    /** Where the media worker writes renditions: {@code Keys.mediaObject} puts them under this prefix. */
    public static final String MEDIA_OBJECTS = "media/*";
    /** Where the media worker stores data export archives, in the uploads bucket ({@code exports/<user>/<id>.zip}). */
    public static final String EXPORT_OBJECTS = GlintResources.EXPORT_ARCHIVES_PREFIX + "*";

    private final Table table;
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private final Bucket accessLogs;
    /** The resource server of the API and its scope that the preview API requires: {@code glint/preview}. */
    public static final String RESOURCE_SERVER_ID = "glint";
    public static final String PREVIEW_SCOPE_NAME = "preview";
    /** Days a daily backup is kept (prod and beta). */
    public static final int BACKUP_RETENTION_DAYS = 35;

    private final UserPool userPool;
    private final ResourceServerScope previewScope;
    private final UserPoolResourceServer apiResourceServer;
    private final UserPoolDomain signInDomain;
    private final String signInUrl;
    private BackupPlan backupPlan;
    private final Secret cursorSecret;

    public DataResources(Construct scope, String id, StageSettings settings) {
        super(scope, id);
        var spec = GlintResources.TABLE;
        table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name(spec.partitionKey()).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(spec.sortKey()).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .stream(StreamViewType.valueOf(spec.streamView().name()))
                .timeToLiveAttribute(spec.ttlAttribute())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(settings.retainData())
                .removalPolicy(settings.dataRemovalPolicy())
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
        Queue failureQueue = Queue.Builder.create(this, construct(failures.logicalName()) + "Queue")
                .retentionPeriod(Duration.days(failures.retentionDays()))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        queues.put(failures.logicalName(), failureQueue);
        NagSuppressions.addResourceSuppressions(failureQueue, List.of(Nag.rule("AwsSolutions-SQS3",
                "This queue is the stream processor's on-failure destination: it is the end of the line, "
                        + "like a dead-letter queue, and is watched by an alarm.")));

        // S3 writes server access logs here (bucket policy for the logging service, SSE-S3 as it requires).
        accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-access-logs").expiration(Duration.days(90)).build()))
                .removalPolicy(settings.dataRemovalPolicy())
                .autoDeleteObjects(!settings.retainData())
                .build();
        NagSuppressions.addResourceSuppressions(accessLogs, List.of(Nag.rule("AwsSolutions-S1",
                "This is the access log bucket of the stage's buckets; logging it into itself would loop.")));

        for (BucketSpec bucket : GlintResources.BUCKETS) {
            var builder = Bucket.Builder.create(this, construct(bucket.logicalName()) + "Bucket")
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .encryption(BucketEncryption.S3_MANAGED)
                    .enforceSsl(true)
                    .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                    .serverAccessLogsBucket(accessLogs)
                    .serverAccessLogsPrefix(bucket.logicalName() + "/")
                    .cors(List.of(cors(bucket, settings.webOrigins())))
                    .removalPolicy(settings.dataRemovalPolicy())
                    .autoDeleteObjects(!settings.retainData());
            List<LifecycleRule> rules = new ArrayList<>();
            bucket.expireAfterDays().ifPresent(days -> rules.add(LifecycleRule.builder()
                    .id("expire-unused-uploads")
                    .prefix(GlintResources.UPLOADS_PREFIX)
                    .expiration(Duration.days(days))
                    .abortIncompleteMultipartUploadAfter(Duration.days(1))
                    .build()));
            if (bucket.equals(GlintResources.UPLOADS_BUCKET)) {
                // Data export archives: kept a week, whatever the download links said.
                rules.add(LifecycleRule.builder()
                        .id("expire-export-archives")
                        .prefix(GlintResources.EXPORT_ARCHIVES_PREFIX)
                        .expiration(Duration.days(GlintResources.EXPORT_ARCHIVE_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build());
            }
            bucket.noncurrentVersionDays().ifPresent(days -> {
                // Versioning keeps what a bug or a stolen key deletes or overwrites; the purge of a
                // deleted post leaves delete markers, so no URL serves it, and its old versions go after `days`.
                builder.versioned(true);
                rules.add(LifecycleRule.builder()
                        .id("expire-noncurrent-versions")
                        .noncurrentVersionExpiration(Duration.days(days))
                        .expiredObjectDeleteMarker(true)
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build());
            });
            if (!rules.isEmpty()) {
                builder.lifecycleRules(rules);
            }
            buckets.put(bucket.logicalName(), builder.build());
        }

        StageSettings.SignIn signIn = settings.checkedSignIn();
        var pool = UserPool.Builder.create(this, "Users")
                .selfSignUpEnabled(true)
                .signInAliases(SignInAliases.builder().username(true).email(true).build())
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12).requireLowercase(true).requireUppercase(true).requireDigits(true).requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .deletionProtection(settings.retainData())
                .removalPolicy(settings.dataRemovalPolicy());
        // Threat protection (compromised credentials, adaptive authentication) needs the Plus plan:
        // enforced in prod, audit only in beta (to see what it would block), off in dev.
        settings.threatProtection().ifPresent(mode -> pool.featurePlan(FeaturePlan.PLUS).standardThreatProtectionMode(mode));
        signIn.sesFromEmail().ifPresent(from -> {
            var ses = UserPoolSESOptions.builder().fromEmail(from).fromName("Glint");
            // The stage's own region unless the context names the SES identity's.
            ses.sesRegion(signIn.sesRegion().or(settings.edge()::region).orElse(Aws.REGION));
            pool.email(UserPoolEmail.withSES(ses.build()));
        });
        userPool = pool.build();
        // The preview scope: only the product team's app client may ask for it, and the preview API requires it.
        previewScope = ResourceServerScope.Builder.create().scopeName(PREVIEW_SCOPE_NAME)
                .scopeDescription("Call the preview API (unreleased versions against this stage's data)").build();
        apiResourceServer = userPool.addResourceServer("ApiResourceServer", UserPoolResourceServerOptions.builder()
                .identifier(RESOURCE_SERVER_ID)
                .userPoolResourceServerName("Glint API")
                .scopes(List.of(previewScope))
                .build());
        // The hosted sign-in (authorization code flow) needs a domain: a Cognito prefix made from the
        // stage and the account, so stages and accounts never collide.
        String domainPrefix = Fn.join("-", List.of("glint", settings.name(), Aws.ACCOUNT_ID));
        signInDomain = userPool.addDomain("SignInDomain", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(domainPrefix).build())
                .build());
        // The URL UserPoolDomain.baseUrl() gives (https://<prefix>.auth.<region>.amazoncognito.com), made from
        // the prefix rather than from a reference to the domain resource: the api function's environment
        // carries it, and the local stack's template mode resolves pseudo parameters but makes no domain.
        signInUrl = "https://" + domainPrefix + ".auth." + Stack.of(this).getRegion() + ".amazoncognito.com";
        // The key that signs the API's list cursors; generated, never written in the template.
        cursorSecret = Secret.Builder.create(this, "CursorSecret")
                .description("Signs the Glint API's list cursors (" + GlintResources.ENV_CURSOR_SECRET + ")")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(64).excludePunctuation(true).build())
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(cursorSecret, List.of(Nag.rule("AwsSolutions-SMG4",
                "The key only signs pagination cursors; rotating it would break every cursor a client holds. "
                        + "Rotate by hand (a new version) when it may have leaked.")));

        List<io.github.cdklabs.cdknag.NagPackSuppression> poolSuppressions = new ArrayList<>(List.of(
                Nag.rule("AwsSolutions-COG2",
                        "A consumer photo app: MFA is offered (TOTP) but not forced on every user at sign-up.")));
        if (settings.threatProtection().filter(StandardThreatProtectionMode.FULL_FUNCTION::equals).isEmpty()) {
            poolSuppressions.add(Nag.rule("AwsSolutions-COG3", settings.threatProtection().isPresent()
                    ? "Beta audits threat protection (Plus plan) to see what it would block before prod enforces it."
                    : "Dev and sandboxes hold test users only; threat protection (the Plus plan, priced per active "
                            + "user) is enforced in prod and audited in beta."));
        }
        NagSuppressions.addResourceSuppressions(userPool, poolSuppressions);

        if (settings.name().equals("prod")) {
            backup();
        }
    }

    /**
     * Prod keeps daily AWS Backup recovery points of the table and the media bucket in a vault of its
     * own, beside the table's point-in-time recovery and the bucket's versions: a copy that a deleted
     * table or an emptied bucket does not take with it.
     */
    private void backup() {
        BackupVault vault = BackupVault.Builder.create(this, "BackupVault")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        backupPlan = BackupPlan.Builder.create(this, "BackupPlan")
                .backupVault(vault)
                .backupPlanRules(List.of(BackupPlanRule.Builder.create()
                        .ruleName("daily")
                        .scheduleExpression(Schedule.cron(CronOptions.builder().hour("3").minute("0").build()))
                        .startWindow(Duration.hours(1))
                        .completionWindow(Duration.hours(8))
                        .deleteAfter(Duration.days(BACKUP_RETENTION_DAYS))
                        .build()))
                .build();
        // AWS's policies for backing up (and restoring) DynamoDB and S3; S3 needs its own.
        Role backupRole = Role.Builder.create(this, "BackupRole")
                .assumedBy(new ServicePrincipal("backup.amazonaws.com"))
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSBackupServiceRolePolicyForBackup"),
                        ManagedPolicy.fromAwsManagedPolicyName("AWSBackupServiceRolePolicyForS3Backup")))
                .build();
        NagSuppressions.addResourceSuppressions(backupRole, List.of(Nag.rule("AwsSolutions-IAM4",
                "AWS Backup's own service policies for DynamoDB and S3 backups: AWS keeps their action lists "
                        + "current with the services; the selection names the two resources they apply to.",
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"))));
        backupPlan.addSelection("TableAndMedia", BackupSelectionOptions.builder()
                .role(backupRole)
                .resources(List.of(BackupResource.fromDynamoDbTable(table),
                        BackupResource.fromArn(bucket(GlintResources.MEDIA_BUCKET.logicalName()).getBucketArn())))
                .build());
    }

    /**
     * The web client uploads straight to the uploads bucket with a presigned PUT, and shows media
     * with presigned GETs; a browser needs CORS for both. The presigned signature is the access
     * control; CORS only lets the page read the answer.
     */
    private static CorsRule cors(BucketSpec bucket, List<String> origins) {
        boolean uploads = bucket.equals(GlintResources.UPLOADS_BUCKET);
        return CorsRule.builder()
                .allowedOrigins(origins)
                .allowedMethods(uploads ? List.of(HttpMethods.PUT) : List.of(HttpMethods.GET, HttpMethods.HEAD))
                .allowedHeaders(uploads ? List.of("content-type", "content-md5", "x-amz-*") : List.of("range"))
                .exposedHeaders(List.of("etag"))
                .maxAge(3600)
                .build();
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

    public Bucket accessLogs() {
        return accessLogs;
    }

    public UserPool userPool() {
        return userPool;
    }

    /** The OAuth scope the preview API requires. */
    public OAuthScope previewScope() {
        return OAuthScope.resourceServer(apiResourceServer, previewScope);
    }

    public UserPoolDomain signInDomain() {
        return signInDomain;
    }

    /**
     * The managed login's base URL, {@code https://<domain prefix>.auth.<region>.amazoncognito.com}: where the
     * web page sends the user to sign in and calls the token endpoint (its {@code /config.json} and its
     * content security policy name this one value).
     */
    public String signInUrl() {
        return signInUrl;
    }

    /** Prod and beta only. */
    public java.util.Optional<BackupPlan> backupPlan() {
        return java.util.Optional.ofNullable(backupPlan);
    }

    public Secret cursorSecret() {
        return cursorSecret;
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
