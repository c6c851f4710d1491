package dev.glint.shared.aws;

import dev.glint.shared.messages.ApproveRequestsJob;
import dev.glint.shared.messages.BackfillJob;
import dev.glint.shared.messages.FanoutJob;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.MessageCodec;
import dev.glint.shared.messages.DemoteJob;
import dev.glint.shared.messages.EraseJob;
import dev.glint.shared.messages.PromoteJob;
import dev.glint.shared.messages.PurgeJob;
import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.ExperimentsCheck;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.messages.TaskQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link TaskQueue} on SQS: each message type has its queue. */
public final class SqsTaskQueue implements TaskQueue {

    private final SqsClient sqs;
    private final String mediaQueueUrl;
    private final String fanoutQueueUrl;

    public SqsTaskQueue(SqsClient sqs, String mediaQueueUrl, String fanoutQueueUrl) {
        this.sqs = sqs;
        this.mediaQueueUrl = mediaQueueUrl;
        this.fanoutQueueUrl = fanoutQueueUrl;
    }

    @Override
    public void send(QueueMessage message) {
        String url = switch (message.type()) {
            case MediaJob.TYPE, PurgeJob.TYPE, EraseJob.TYPE, dev.glint.shared.messages.ExportJob.TYPE -> mediaQueueUrl;
            case FanoutJob.TYPE, BackfillJob.TYPE, PromoteJob.TYPE, DemoteJob.TYPE, DigestRun.TYPE, ExperimentsCheck.TYPE,
                    ApproveRequestsJob.TYPE -> fanoutQueueUrl;
            default -> throw new IllegalArgumentException("no queue for message type " + message.type());
        };
        String body = MessageCodec.encode(message);
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
    }
}
