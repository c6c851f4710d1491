package dev.glint.shared.aws;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.SearchTerms;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Gives the profiles made before the people search index their entries: a one-off job, never a
 * request. It scans one segment of the table for profile items (a parallel scan: run one per segment)
 * and writes, per profile, one transaction of a check that its handle and display name are still the
 * ones read and the puts of its entries. A profile changed meanwhile fails the check and is skipped:
 * its own write put its entries. Running it again writes the same items again, nothing else.
 */
public final class SearchBackfill {

    /** What one page of the scan did, and where the next starts (empty when the segment is done). */
    public record Progress(int indexed, int skipped, Optional<PageToken> next) {
    }

    private final DynamoTable table;

    public SearchBackfill(DynamoDbClient client, String tableName) {
        this.table = new DynamoTable(client, tableName);
    }

    /** Indexes the profiles of one page of one segment of the table. */
    public Progress page(int segment, int segments, Optional<PageToken> after) {
        var page = table.scanEntity(ProfileItem.ENTITY_NAME, "userId, #h, " + ProfileItem.DISPLAY_NAME,
                Map.of("#h", ProfileItem.HANDLE), segment, segments, after);
        int indexed = 0;
        int skipped = 0;
        for (Map<String, AttributeValue> profile : page.items()) {
            if (index(str(profile, "userId"), str(profile, ProfileItem.HANDLE), str(profile, ProfileItem.DISPLAY_NAME))) {
                indexed++;
            } else {
                skipped++;
            }
        }
        return new Progress(indexed, skipped, page.next());
    }

    private boolean index(String userId, String handle, String displayName) {
        if (userId == null || handle == null || displayName == null) {
            return false;
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                .key(DynamoTable.key(Keys.userProfile(userId)))
                .conditionExpression("#h = :h AND " + ProfileItem.DISPLAY_NAME + " = :n")
                .expressionAttributeNames(Map.of("#h", ProfileItem.HANDLE))
                .expressionAttributeValues(Map.of(":h", s(handle), ":n", s(displayName)))).build());
        SearchTerms.of(handle, displayName).forEach(term -> items.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name()).item(SearchItem.toItem(term, userId))).build()));
        try {
            table.transact(items);
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            return false;
        }
    }

    /**
     * Runs every segment one after the other against the table of the environment ({@code GLINT_TABLE},
     * the usual AWS credentials and region), printing what it did; {@code args[0]} the number of segments
     * (default 1) when run as several processes, {@code args[1]} the one this process scans.
     */
    public static void main(String[] args) {
        GlintConfig config = GlintConfig.fromEnv(System.getenv());
        int segments = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<Integer> mine = args.length > 1 ? List.of(Integer.parseInt(args[1]))
                : java.util.stream.IntStream.range(0, segments).boxed().toList();
        SearchBackfill backfill = new SearchBackfill(AwsClients.fromEnvironment(config).dynamoDb(), config.table());
        for (int segment : mine) {
            int indexed = 0;
            int skipped = 0;
            Optional<PageToken> position = Optional.empty();
            do {
                Progress progress = backfill.page(segment, segments, position);
                indexed += progress.indexed();
                skipped += progress.skipped();
                position = progress.next();
            } while (position.isPresent());
            System.out.printf("segment %d of %d: %d profiles indexed, %d changed meanwhile (indexed by their own write)%n",
                    segment, segments, indexed, skipped);
        }
    }
}
