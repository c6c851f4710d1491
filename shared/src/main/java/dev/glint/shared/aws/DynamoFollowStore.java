package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.FollowStore;
import dev.glint.shared.social.SocialException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link FollowStore} on the table. A follow is an edge item (which makes it exist once) and an entry
 * in each user's time-ordered list, written in one transaction while both profiles exist. The users'
 * follower and following counts are kept from the table's stream (see {@code ApplyChange}).
 */
public final class DynamoFollowStore implements FollowStore {

    private final DynamoTable table;

    public DynamoFollowStore(DynamoDbClient client, String tableName) {
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public boolean follow(String followerId, String followeeId, String orderId, Instant now) {
        var edge = new FollowItem.Edge(followerId, followeeId, orderId, now);
        try {
            table.transact(List.of(
                    table.put(FollowItem.edge(edge), "attribute_not_exists(pk)"),
                    table.put(FollowItem.followingEntry(edge), "attribute_not_exists(pk)"),
                    table.put(FollowItem.followerEntry(edge), "attribute_not_exists(pk)"),
                    table.exists(Keys.userProfile(followerId)),
                    table.exists(Keys.userProfile(followeeId)),
                    // No follow across a block either way: a block racing this follow wins or waits.
                    table.absent(Keys.block(followerId, followeeId)),
                    table.absent(Keys.block(followeeId, followerId))));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            if (e.index() == 0) {
                return false;
            }
            throw SocialException.notFound("user_not_found", "That user no longer exists.");
        }
    }

    @Override
    public boolean unfollow(String followerId, String followeeId) {
        var found = table.get(Keys.follows(followerId, followeeId), true);
        if (found.isEmpty()) {
            return false;
        }
        String orderId = FollowItem.edgeFromItem(found.get()).orderId();
        try {
            table.transact(List.of(
                    table.delete(Keys.follows(followerId, followeeId), FollowItem.ORDER_ID + " = :o", Map.of(":o", s(orderId))),
                    table.delete(Keys.followingEntry(followerId, orderId, followeeId), "attribute_exists(pk)", Map.of()),
                    table.delete(Keys.followerEntry(followeeId, orderId, followerId), "attribute_exists(pk)", Map.of())));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            // Another request removed this follow first.
            return false;
        }
    }

    @Override
    public boolean follows(String followerId, String followeeId) {
        return table.get(Keys.follows(followerId, followeeId), true).isPresent();
    }

    @Override
    public Page<FollowEntry> followers(String userId, int limit, Optional<PageToken> after) {
        return table.page(Keys.followersPartition(userId), null, true, limit, after, false, FollowItem::entryFromItem);
    }

    @Override
    public Page<FollowEntry> following(String userId, int limit, Optional<PageToken> after, boolean consistent) {
        return table.page(Keys.followingPartition(userId), null, true, limit, after, consistent, FollowItem::entryFromItem);
    }
}
