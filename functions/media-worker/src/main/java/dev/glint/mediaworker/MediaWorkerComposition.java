package dev.glint.mediaworker;

import dev.glint.lambda.RetryBackoff;
import dev.glint.shared.account.AccountErasure;
import dev.glint.shared.account.IdentityDirectory;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.CognitoIdentityDirectory;
import dev.glint.shared.aws.DynamoAccountErasure;
import dev.glint.shared.messages.EraseJob;
import dev.glint.shared.messages.ExportJob;
import dev.glint.shared.aws.DynamoExportStore;
import dev.glint.shared.aws.S3ExportArchives;
import dev.glint.shared.export.BuildExport;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.S3BlobStore;
import dev.glint.shared.aws.S3RenditionStore;
import dev.glint.shared.aws.SqsTaskQueue;
import dev.glint.shared.media.ImageProcessor;
import dev.glint.shared.media.ProcessMedia;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.media.PurgePost;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.PurgeJob;
import dev.glint.shared.messages.QueueMessage;

import java.util.Optional;

/**
 * How the {@code media-worker} function is put together, once per container: the media pipeline
 * ({@link MediaJob}), the purge of deleted posts ({@link PurgeJob}), account erasure ({@link EraseJob},
 * here because this function already deletes media in both buckets) and data exports ({@link ExportJob}: they
 * read renditions and write to the uploads bucket, and the fan-out worker has no S3 module) over the table, both buckets
 * and the queues, and how a failed job's retries are spaced.
 *
 * @param backoff absent when nothing spaces retries (tests): the queue's visibility timeout does
 */
public record MediaWorkerComposition(MessageConsumer<QueueMessage> useCase, Optional<RetryBackoff> backoff) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MediaWorkerComposition.class);

    /** Lambda's: configuration from the environment, clients with Lambda's credentials. */
    public static MediaWorkerComposition fromEnvironment() {
        return fromEnvironment(System.getenv(), AwsClients::fromEnvironment);
    }

    /**
     * From an environment as Lambda would set it, read as Lambda's path reads it, with clients made
     * from its configuration (the local stack's template mode).
     */
    public static MediaWorkerComposition fromEnvironment(java.util.Map<String, String> env,
                                                java.util.function.Function<dev.glint.shared.config.GlintConfig, AwsClients> clients) {
        AwsClients aws = clients.apply(dev.glint.shared.config.GlintConfig.fromEnv(env));
        return of(aws, identities(env, aws));
    }

    /** Without a user pool (the local stack): see {@link #identities}. */
    public static MediaWorkerComposition of(AwsClients clients) {
        return of(clients, identities(java.util.Map.of(), clients));
    }

    /**
     * Cognito's user pool when the environment names it ({@link CognitoIdentityDirectory#ENV_USER_POOL_ID});
     * else none: the local stack's sign-in ({@code LocalJwtIssuer}, {@code LocalManagedLogin}) signs anyone in
     * by name and keeps no users, so there is nobody to delete, and the erasure's sign-in step says so in the log.
     */
    static IdentityDirectory identities(java.util.Map<String, String> env, AwsClients clients) {
        return CognitoIdentityDirectory.fromEnvironment(env, clients).orElseGet(() -> userId -> LOG.info(
                "erasure: no user pool is configured ({} unset: the local sign-in keeps no users), so no sign-in is deleted",
                CognitoIdentityDirectory.ENV_USER_POOL_ID));
    }

    /** The media pipeline, the purge of deleted posts and account erasure, over the clients. */
    public static MediaWorkerComposition of(AwsClients clients, IdentityDirectory identities) {
        var config = clients.config();
        var s3 = clients.s3();
        var sqs = clients.sqs();
        var posts = new DynamoPostStore(clients.dynamoDb(), config.table());
        var renditions = new S3RenditionStore(s3, config.mediaBucket());
        var tasks = new SqsTaskQueue(sqs, config.mediaQueueUrl(), config.fanoutQueueUrl());
        ProcessMedia process = new ProcessMedia(posts, new S3BlobStore(s3, config.uploadsBucket()), renditions, tasks,
                new ImageProcessor());
        PurgePost purge = new PurgePost(posts, renditions, tasks);
        var erasureStore = new DynamoAccountErasure(clients.dynamoDb(), config.table(), s3, config.uploadsBucket(),
                config.mediaBucket(), identities);
        AccountErasure erasure = new AccountErasure(erasureStore, erasureStore.steps(), tasks, java.time.Clock.systemUTC());
        BuildExport export = new BuildExport(new DynamoExportStore(clients.dynamoDb(), config.table()),
                new S3ExportArchives(clients.dynamoDb(), config.table(), s3, config.uploadsBucket(), config.mediaBucket()),
                dev.glint.shared.ids.Ids.system(), java.time.Clock.systemUTC());
        return new MediaWorkerComposition((message, delivery) -> {
            if (message instanceof EraseJob job) {
                erasure.accept(job, delivery);
                return;
            }
            if (message instanceof ExportJob job) {
                export.accept(job, delivery);
                return;
            }
            if (message instanceof MediaJob job) {
                process.accept(job, delivery);
            } else if (message instanceof PurgeJob job) {
                purge.accept(job, delivery);
            } else {
                throw new IllegalArgumentException("the media worker does not handle " + message.type());
            }
        }, Optional.of(new RetryBackoff(sqs, config.mediaQueueUrl())));
    }

    /** Another use case of the media queue's messages, retried at the queue's own pace (tests). */
    public static MediaWorkerComposition of(MessageConsumer<QueueMessage> useCase) {
        return new MediaWorkerComposition(useCase, Optional.empty());
    }
}
