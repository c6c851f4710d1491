package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.SafetyStore;
import dev.glint.shared.social.SocialException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link SafetyStore} on the table: {@code USER#<a>} / {@code BLOCKS#<b>} and {@code USER#<a>} /
 * {@code MUTES#<b>} (entity {@code block} / {@code mute}, {@code userId} = b, {@code createdAt}). A block
 * is one transaction with the follows it removes; the follow transaction checks both blocks are absent
 * ({@link DynamoFollowStore}), so no follow survives or crosses a block.
 */
public final class DynamoSafetyStore implements SafetyStore {

    static final String BLOCK = "block";
    static final String MUTE = "mute";
    /** A block retried this often when follows change between its read and its transaction. */
    private static final int BLOCK_ATTEMPTS = 5;

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoSafetyStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    private static Map<String, AttributeValue> item(Key key, String entity, String userId, Instant now) {
        // Indexed under the blocked or muted user: their erasure removes others' blocks and mutes of them.
        return DynamoTable.referencing(DynamoTable.item(key, Map.of(ENTITY, s(entity), "userId", s(userId),
                "createdAt", s(now.toString()))), userId);
    }

    @Override
    public Blocked block(String blockerId, String blockedId, Instant now) {
        for (int attempt = 1; ; attempt++) {
            // The follows both ways as they are now; the transaction holds only if they still are.
            var found = table.getAll(List.of(Keys.follows(blockerId, blockedId), Keys.follows(blockedId, blockerId)), true);
            Optional<FollowItem.Edge> out = Optional.empty();
            Optional<FollowItem.Edge> in = Optional.empty();
            for (var edgeItem : found) {
                FollowItem.Edge edge = FollowItem.edgeFromItem(edgeItem);
                if (edge.followerId().equals(blockerId)) {
                    out = Optional.of(edge);
                } else {
                    in = Optional.of(edge);
                }
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(table.put(item(Keys.block(blockerId, blockedId), BLOCK, blockedId, now), "attribute_not_exists(pk)"));
            items.add(table.exists(Keys.userProfile(blockedId)));
            int followSteps = items.size();
            unfollow(items, blockerId, blockedId, out);
            unfollow(items, blockedId, blockerId, in);
            try {
                table.transact(items);
                // Pending follow requests go too, both ways. After the block: a request checks that no block
                // stands, so none can be made from now on, and these deletes catch every one made before.
                DynamoPrivacyStore.removeBetween(table, blockerId, blockedId);
                return new Blocked(true, out.isPresent(), in.isPresent());
            } catch (DynamoTable.ConditionFailed e) {
                if (e.index() == 0) {
                    // Blocked already: the follow transaction checks blocks, so no follow came back since.
                    return new Blocked(false, false, false);
                }
                if (e.index() == 1) {
                    throw SocialException.notFound("user_not_found", "That user no longer exists.");
                }
                if (e.index() < followSteps || attempt >= BLOCK_ATTEMPTS) {
                    throw new IllegalStateException("follows between two users kept changing during a block", e);
                }
                // A follow began or ended meanwhile: read them again.
            }
        }
    }

    /** The steps that remove a follow as read, or check that there still is none. */
    private void unfollow(List<TransactWriteItem> items, String followerId, String followeeId, Optional<FollowItem.Edge> edge) {
        if (edge.isEmpty()) {
            items.add(table.absent(Keys.follows(followerId, followeeId)));
            return;
        }
        String orderId = edge.get().orderId();
        items.add(table.delete(Keys.follows(followerId, followeeId), FollowItem.ORDER_ID + " = :o", Map.of(":o", s(orderId))));
        items.add(table.delete(Keys.followingEntry(followerId, orderId, followeeId), "attribute_exists(pk)", Map.of()));
        items.add(table.delete(Keys.followerEntry(followeeId, orderId, followerId), "attribute_exists(pk)", Map.of()));
    }

    @Override
    public boolean blocks(String blockerId, String blockedId) {
        return table.get(Keys.block(blockerId, blockedId), true).isPresent();
    }

    @Override
    public boolean unblock(String blockerId, String blockedId) {
        return remove(Keys.block(blockerId, blockedId));
    }

    @Override
    public boolean mute(String muterId, String mutedId, Instant now) {
        try {
            client.putItem(r -> r.tableName(table.name()).item(item(Keys.mute(muterId, mutedId), MUTE, mutedId, now))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean unmute(String muterId, String mutedId) {
        return remove(Keys.mute(muterId, mutedId));
    }

    private boolean remove(Key key) {
        return table.deleteIfPresent(key);
    }

    @Override
    public Page<FollowEntry> blocks(String userId, int limit, Optional<PageToken> after) {
        return table.page(Keys.userPartition(userId), Keys.BLOCKS_PREFIX, false, limit, after, true, DynamoSafetyStore::entry);
    }

    @Override
    public Page<FollowEntry> mutes(String userId, int limit, Optional<PageToken> after) {
        return table.page(Keys.userPartition(userId), Keys.MUTES_PREFIX, false, limit, after, true, DynamoSafetyStore::entry);
    }

    private static FollowEntry entry(Map<String, AttributeValue> item) {
        return new FollowEntry(required(item, "userId"), instant(item, "createdAt"));
    }

    @Override
    public Set<String> hidden(String viewerId, Collection<String> userIds, boolean withMutes) {
        List<Key> keys = new ArrayList<>();
        Map<String, String> tombstones = new java.util.HashMap<>();
        for (String other : new LinkedHashSet<>(userIds)) {
            if (other.equals(viewerId)) {
                continue;
            }
            // An account being erased is hidden like a block, from everyone, in the same read.
            Key tombstone = Keys.erasure(DynamoAccountErasure.digest(other));
            tombstones.put(tombstone.pk(), other);
            keys.add(tombstone);
            keys.add(Keys.block(viewerId, other));
            keys.add(Keys.block(other, viewerId));
            if (withMutes) {
                keys.add(Keys.mute(viewerId, other));
            }
        }
        Set<String> hidden = new HashSet<>();
        if (keys.isEmpty()) {
            return hidden;
        }
        // Strongly consistent: a block made a moment ago hides at once, for a small batch of keys.
        for (var found : table.getAll(keys, true)) {
            String erased = tombstones.get(DynamoTable.str(found, DynamoTable.PK));
            hidden.add(erased != null ? erased : otherOf(found, viewerId));
        }
        return hidden;
    }

    /** The user other than the viewer that a block or mute item names. */
    static String otherOf(Map<String, AttributeValue> item, String viewerId) {
        String named = required(item, "userId");
        if (!named.equals(viewerId)) {
            return named;
        }
        // The other's block of the viewer: the blocker is in the partition key.
        String pk = required(item, DynamoTable.PK);
        return pk.substring(pk.indexOf(Keys.SEP) + 1);
    }
}
