package dev.glint.shared.aws;

import dev.glint.shared.keys.Keys;
import dev.glint.shared.ports.FollowStore;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;
import dev.glint.shared.social.SocialException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.glint.shared.aws.DynamoTable.s;
import static dev.glint.shared.aws.DynamoTable.str;

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
        Map<String, AttributeValue> common = Map.of("createdAt", s(now.toString()), "orderId", s(orderId));
        try {
            table.transact(List.of(
                    table.put(DynamoTable.item(Keys.follows(followerId, followeeId), merge(common, Map.of(
                            "entity", s("follow"), "followerId", s(followerId), "followeeId", s(followeeId)))),
                            "attribute_not_exists(pk)"),
                    table.put(DynamoTable.item(Keys.followingEntry(followerId, orderId, followeeId), merge(common, Map.of(
                            "entity", s("following"), "userId", s(followeeId)))), "attribute_not_exists(pk)"),
                    table.put(DynamoTable.item(Keys.followerEntry(followeeId, orderId, followerId), merge(common, Map.of(
                            "entity", s("follower"), "userId", s(followerId)))), "attribute_not_exists(pk)"),
                    table.exists(Keys.userProfile(followerId)),
                    table.exists(Keys.userProfile(followeeId))));
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
        var edge = table.get(Keys.follows(followerId, followeeId), true);
        if (edge.isEmpty()) {
            return false;
        }
        String orderId = str(edge.get(), "orderId");
        try {
            table.transact(List.of(
                    table.delete(Keys.follows(followerId, followeeId), "orderId = :o", Map.of(":o", s(orderId))),
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
    public Page<FollowEntry> followers(String userId, int limit, Optional<PageKey> after) {
        return table.page(Keys.followersPartition(userId), null, true, limit, after, false, DynamoFollowStore::entry);
    }

    @Override
    public Page<FollowEntry> following(String userId, int limit, Optional<PageKey> after, boolean consistent) {
        return table.page(Keys.followingPartition(userId), null, true, limit, after, consistent, DynamoFollowStore::entry);
    }

    private static FollowEntry entry(Map<String, AttributeValue> item) {
        return new FollowEntry(str(item, "userId"), Instant.parse(str(item, "createdAt")));
    }

    private static Map<String, AttributeValue> merge(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        var out = new java.util.HashMap<>(a);
        out.putAll(b);
        return out;
    }
}
