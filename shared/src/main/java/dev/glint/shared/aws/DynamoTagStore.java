package dev.glint.shared.aws;

import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.TagStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/** {@link TagStore} on the table: one partition per tag and day. */
public final class DynamoTagStore implements TagStore {

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoTagStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public void index(String postId, Set<String> tags, String day) {
        for (String tag : tags) {
            try {
                client.putItem(r -> r.tableName(table.name())
                        .item(TagItem.firstDay(tag, day))
                        .conditionExpression("attribute_not_exists(#d) OR #d > :day")
                        .expressionAttributeNames(Map.of("#d", TagItem.DAY))
                        .expressionAttributeValues(Map.of(":day", s(day))));
            } catch (ConditionalCheckFailedException e) {
                // the tag was used on this day or earlier already
            }
        }
        write(tags.stream().map(tag -> WriteRequest.builder().putRequest(PutRequest.builder()
                .item(TagItem.entry(tag, day, postId)).build()).build()).toList());
    }

    @Override
    public void unindex(String postId, Set<String> tags, String day) {
        write(tags.stream().map(tag -> WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                .key(DynamoTable.key(Keys.tagEntry(tag, day, postId))).build()).build()).toList());
    }

    private void write(List<WriteRequest> writes) {
        table.batchWrite(writes);
    }

    @Override
    public TagPage posts(String tag, String day, Optional<String> afterPostId, int limit, int maxDays) {
        List<String> ids = new ArrayList<>();
        Optional<LocalDate> first = table.get(Keys.tagFirstDay(tag), false).map(item -> LocalDate.parse(str(item, TagItem.DAY)));
        if (first.isEmpty()) {
            return new TagPage(ids, Optional.empty(), Optional.empty());
        }
        LocalDate current = LocalDate.parse(day);
        Optional<String> after = afterPostId;
        for (int walked = 0; walked < maxDays && !current.isBefore(first.get()); walked++) {
            String bucket = current.toString();
            String pk = Keys.tagPartition(tag, bucket);
            Optional<PageToken> start = after.map(id -> DynamoTable.token(DynamoTable.key(Keys.tagEntry(tag, bucket, id))));
            var page = table.page(pk, null, true, limit - ids.size(), start, false, PostItem::postIdOf);
            ids.addAll(page.items());
            if (ids.size() >= limit) {
                String last = ids.get(ids.size() - 1);
                if (page.next().isPresent()) {
                    return new TagPage(ids, Optional.of(current.toString()), Optional.of(last));
                }
                LocalDate previous = current.minusDays(1);
                return new TagPage(ids, previous.isBefore(first.get()) ? Optional.empty() : Optional.of(previous.toString()),
                        Optional.empty());
            }
            current = current.minusDays(1);
            after = Optional.empty();
        }
        // The walk stopped: at the tag's first day (nothing left), or after maxDays (continue from there).
        return new TagPage(ids, current.isBefore(first.get()) ? Optional.empty() : Optional.of(current.toString()),
                Optional.empty());
    }
}
