package dev.glint.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.glint.lambda.LocalContext;
import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.aws.DynamoPostStore;
import dev.glint.shared.aws.DynamoRollupStore;
import dev.glint.shared.aws.DynamoTagStore;
import dev.glint.shared.aws.Keys;
import dev.glint.shared.aws.RequestCounter;
import dev.glint.shared.changes.ApplyChange;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;
import dev.glint.streamprocessor.StreamProcessorComposition;
import dev.glint.streamprocessor.StreamProcessorHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A post liked 10,000 times: its count ends at exactly 10,000 though every stream batch is delivered
 * twice and once more cut differently, and the post's item is updated once per transaction of up to
 * 40 likes, not once per like. (Notifications are left out here: one per liker is their nature; other tests cover them.)
 */
class HotCountersIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    private static final int LIKES = 10_000;
    private static final int BATCH = 100;

    @Test
    void tenThousandLikesCountExactlyOnceDespiteDuplicateDeliveryWithFewPostUpdates() throws Exception {
        RequestCounter requests = new RequestCounter();
        try (EmbeddedStack stack = STACKS.start();
             // Its own client and counter: the stack's pollers run beside this test and are not counted.
             var dynamo = new AwsClients(stack.config(), StaticCredentialsProvider.create(
                     AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)), List.of(requests)).dynamoDb()) {
            String table = stack.config().table();
            String postId = Ids.system().next();
            dynamo.putItem(r -> r.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS(Keys.post(postId).pk()), "sk", AttributeValue.fromS(Keys.post(postId).sk()),
                    "entity", AttributeValue.fromS("post"), "postId", AttributeValue.fromS(postId),
                    "authorId", AttributeValue.fromS("author"), "caption", AttributeValue.fromS(""),
                    "status", AttributeValue.fromS("READY"), "uploadId", AttributeValue.fromS(Ids.system().next()),
                    "createdAt", AttributeValue.fromS("2026-11-22T10:00:00Z"), "likes", AttributeValue.fromN("0"))));
            StreamProcessorHandler handler = new StreamProcessorHandler(StreamProcessorComposition.of(
                    new ApplyChange(new DynamoPostStore(dynamo, table), new NoNotifications(), new DynamoTagStore(dynamo, table),
                            new DynamoRollupStore(dynamo, table, Clock.systemUTC()), message -> { }, Ids.system(), Clock.systemUTC())));
            List<DynamodbEvent.DynamodbStreamRecord> likes = new ArrayList<>();
            for (int i = 0; i < LIKES; i++) {
                likes.add(like(postId, "liker-" + i, i));
            }

            requests.reset();
            deliver(handler, likes, 0);
            Map<String, Long> firstPass = requests.snapshot();
            Map<String, Long> succeeded = requests.successes();
            deliver(handler, likes, 0);
            deliver(handler, likes, BATCH / 2);

            var post = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS(Keys.post(postId).pk()), "sk", AttributeValue.fromS(Keys.post(postId).sk())))).item();
            assertEquals(String.valueOf(LIKES), post.get("likes").n());

            // The stack's own stream poller updates the same day's rollup while this runs, so a
            // transaction may conflict and be retried: attempts are reported, successes asserted.
            long transactions = succeeded.getOrDefault("DynamoDb.TransactWriteItems", 0L);
            long writeRequests = transactions + firstPass.getOrDefault("DynamoDb.PutItem", 0L)
                    + firstPass.getOrDefault("DynamoDb.UpdateItem", 0L) + firstPass.getOrDefault("DynamoDb.BatchWriteItem", 0L);
            // Each transaction writes up to 40 markers, the day's and hour's rollups and one update of the post.
            long postUpdates = transactions;
            long itemWrites = LIKES + 3 * transactions;
            System.out.printf("10,000 likes in batches of %d: %d transactions, so %d updates of the post (%.4f per like);"
                    + " %d write requests (%.3f per like); about %d item writes (%.2f per like: a marker each, plus the"
                    + " summed updates); requests %s%n", BATCH, transactions, postUpdates, (double) postUpdates / LIKES,
                    writeRequests, (double) writeRequests / LIKES, itemWrites, (double) itemWrites / LIKES, firstPass);
            assertEquals((long) Math.ceil(BATCH / 40.0) * (LIKES / BATCH), transactions, "one transaction per 40 likes");
            assertTrue(writeRequests <= 5L * LIKES / BATCH, "write requests per batch stay constant: " + firstPass);
            assertTrue(firstPass.getOrDefault("DynamoDb.TransactWriteItems", 0L) >= transactions, "attempts include successes");
        }
    }

    private static void deliver(StreamProcessorHandler handler, List<DynamodbEvent.DynamodbStreamRecord> records, int offset) {
        for (int start = offset; start < records.size(); start += BATCH) {
            DynamodbEvent batch = new DynamodbEvent();
            batch.setRecords(records.subList(start, Math.min(records.size(), start + BATCH)));
            var response = handler.handleRequest(batch, LocalContext.forInvocation("stream-processor", 60_000));
            assertEquals(List.of(), response.getBatchItemFailures());
        }
    }

    private static DynamodbEvent.DynamodbStreamRecord like(String postId, String userId, int i) {
        var record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID("like-" + postId + "-" + i);
        record.setEventName("INSERT");
        var body = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
        body.setSequenceNumber(String.format("%021d", 1_000_000L + i));
        body.setKeys(StreamPoller.convert(Map.of("pk", AttributeValue.fromS(Keys.like(postId, userId).pk()),
                "sk", AttributeValue.fromS(Keys.like(postId, userId).sk()))));
        body.setNewImage(StreamPoller.convert(Map.of("entity", AttributeValue.fromS("like"), "postId", AttributeValue.fromS(postId),
                "userId", AttributeValue.fromS(userId), "createdAt", AttributeValue.fromS("2026-11-22T10:00:00Z"))));
        record.setDynamodb(body);
        return record;
    }

    private static final class NoNotifications implements NotificationStore {
        @Override
        public boolean add(String userId, Notification notification) {
            return true;
        }

        @Override
        public Page<Notification> list(String userId, int limit, Optional<PageToken> after) {
            return new Page<>(List.of(), Optional.empty());
        }

        @Override
        public Optional<String> readUpTo(String userId) {
            return Optional.empty();
        }

        @Override
        public void markRead(String userId, String upToId) {
        }

        @Override
        public void markReadThrough(String userId, PageToken next) {
        }
    }
}
