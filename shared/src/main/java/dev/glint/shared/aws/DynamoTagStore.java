package dev.glint.shared.aws;

import dev.glint.shared.keys.Keys;
import dev.glint.shared.ports.TagStore;
import dev.glint.shared.social.PageKey;
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
                        .item(DynamoTable.item(Keys.tagFirstDay(tag), Map.of("entity", s("tag-first-day"), "day", s(day))))
                        .conditionExpression("attribute_not_exists(#d) OR #d > :day")
                        .expressionAttributeNames(Map.of("#d", "day"))
                        .expressionAttributeValues(Map.of(":day", s(day))));
            } catch (ConditionalCheckFailedException e) {
                // the tag was used on this day or earlier already
            }
        }
        write(tags.stream().map(tag -> WriteRequest.builder().putRequest(PutRequest.builder().item(DynamoTable.item(
                Keys.tagEntry(tag, day, postId), Map.of("entity", s("tag"), "postId", s(postId)))).build()).build()).toList());
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
        Optional<LocalDate> first = table.get(Keys.tagFirstDay(tag), false).map(item -> LocalDate.parse(str(item, "day")));
        if (first.isEmpty()) {
            return new TagPage(ids, Optional.empty(), Optional.empty());
        }
        LocalDate current = LocalDate.parse(day);
        Optional<String> after = afterPostId;
        for (int walked = 0; walked < maxDays && !current.isBefore(first.get()); walked++) {
            String pk = Keys.tagPartition(tag, current.toString());
            Optional<PageKey> start = after.map(id -> new PageKey(Map.of("pk", pk, "sk", id)));
            var page = table.page(pk, null, true, limit - ids.size(), start, false, item -> str(item, "postId"));
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
