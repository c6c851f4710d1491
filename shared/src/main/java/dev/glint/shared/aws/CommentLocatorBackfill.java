package dev.glint.shared.aws;

import dev.glint.shared.config.GlintConfig;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Comment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Gives the comments made before comment locators existed their {@code COMMENTAT#} item, so a report may name
 * them by id alone: a one-off job, never a request. It scans one segment of the table for comment items (a
 * parallel scan: run one per segment) and writes, per comment, one transaction of a check that the comment
 * still exists and the put of its locator if it has none. A comment deleted meanwhile fails the check and is
 * skipped; one that has its locator (written with it, or by an earlier run) is counted as done. Running it again
 * writes nothing new. A deletion whose locator delete ran just before this job's transaction and whose comment
 * delete just after would leave that one locator behind: it points at no comment (a report by its id is
 * {@code 404}) and goes with its author's erasure.
 */
public final class CommentLocatorBackfill {

    /** What one page of the scan did, and where the next starts (empty when the segment is done). */
    public record Progress(int written, int present, int gone, Optional<PageToken> next) {
    }

    private final DynamoTable table;

    public CommentLocatorBackfill(DynamoDbClient client, String tableName) {
        this.table = new DynamoTable(client, tableName);
    }

    /** Locates the comments of one page of one segment of the table. */
    public Progress page(int segment, int segments, Optional<PageToken> after) {
        var page = table.scanEntity(EngagementItem.COMMENT, "commentId, postId, authorId", Map.of(), segment, segments, after);
        int written = 0;
        int present = 0;
        int gone = 0;
        for (Map<String, AttributeValue> item : page.items()) {
            String commentId = str(item, "commentId");
            String postId = str(item, "postId");
            String authorId = str(item, "authorId");
            if (commentId == null || postId == null || authorId == null) {
                gone++;
                continue;
            }
            Comment comment = new Comment(commentId, postId, authorId, "", Instant.EPOCH);
            try {
                table.transact(List.of(table.exists(Keys.comment(postId, commentId)),
                        table.put(EngagementItem.commentLocator(comment), "attribute_not_exists(pk)")));
                written++;
            } catch (DynamoTable.ConditionFailed e) {
                if (e.index() == 0) {
                    gone++;
                } else {
                    present++;
                }
            }
        }
        return new Progress(written, present, gone, page.next());
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
        CommentLocatorBackfill backfill = new CommentLocatorBackfill(AwsClients.fromEnvironment(config).dynamoDb(), config.table());
        for (int segment : mine) {
            int written = 0;
            int present = 0;
            int gone = 0;
            Optional<PageToken> position = Optional.empty();
            do {
                Progress progress = backfill.page(segment, segments, position);
                written += progress.written();
                present += progress.present();
                gone += progress.gone();
                position = progress.next();
            } while (position.isPresent());
            System.out.printf("segment %d of %d: %d comments located, %d had their locator, %d deleted meanwhile%n",
                    segment, segments, written, present, gone);
        }
    }
}
