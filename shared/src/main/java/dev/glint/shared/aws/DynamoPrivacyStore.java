package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.PrivacyStore;
import dev.glint.shared.social.Profile;
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
import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link PrivacyStore} on the table. The flag is {@code locked} on {@code USER#<id>/PROFILE}. A follow request
 * is an edge {@code USER#<requester>/REQUESTS#<owner>} (entity {@code followrequest}, with its order id) and an
 * entry {@code FOLLOW-REQUESTS#<owner>/<orderId>#<requester>} (entity {@code followrequested}), written and
 * removed together. Neither kind is counted or indexed by the stream processor.
 */
public final class DynamoPrivacyStore implements PrivacyStore {

    static final String REQUEST = "followrequest";
    static final String REQUEST_ENTRY = "followrequested";
    private static final String ORDER_ID = "orderId";

    private final DynamoDbClient client;
    private final DynamoTable table;

    public DynamoPrivacyStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public Profile setLocked(String userId, boolean locked) {
        try {
            client.updateItem(r -> r.tableName(table.name()).key(DynamoTable.key(Keys.userProfile(userId)))
                    .updateExpression(locked ? "SET #l = :t ADD #v :one" : "REMOVE #l ADD #v :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#l", ProfileItem.LOCKED, "#v", ProfileItem.VERSION))
                    .expressionAttributeValues(locked ? Map.of(":t", AttributeValue.fromBool(true), ":one", n(1))
                            : Map.of(":one", n(1))));
        } catch (ConditionalCheckFailedException e) {
            throw SocialException.notFound("profile_not_found", "You have no profile yet: create one with PUT /v1/me.");
        }
        return table.get(Keys.userProfile(userId), true).map(ProfileItem::fromItem).orElseThrow();
    }

    /** The request: its insertion is what the stream processor tells the owner of. */
    static Map<String, AttributeValue> requestEdge(String requesterId, String ownerId, String orderId, Instant now) {
        return DynamoTable.item(Keys.followRequest(requesterId, ownerId), Map.of(
                ENTITY, s(REQUEST), "requesterId", s(requesterId), "ownerId", s(ownerId), ORDER_ID, s(orderId),
                "createdAt", s(now.toString())));
    }

    /** The request in its owner's list, newest first. */
    static Map<String, AttributeValue> requestEntry(String requesterId, String ownerId, String orderId, Instant now) {
        return DynamoTable.item(Keys.followRequestEntry(ownerId, orderId, requesterId), Map.of(
                ENTITY, s(REQUEST_ENTRY), "userId", s(requesterId), ORDER_ID, s(orderId), "createdAt", s(now.toString())));
    }

    @Override
    public RequestResult request(String requesterId, String ownerId, String orderId, Instant now) {
        Map<String, AttributeValue> edge = requestEdge(requesterId, ownerId, orderId, now);
        Map<String, AttributeValue> entry = requestEntry(requesterId, ownerId, orderId, now);
        try {
            table.transact(List.of(
                    table.put(edge, "attribute_not_exists(pk)"),
                    table.put(entry, "attribute_not_exists(pk)"),
                    // Still private: a request cannot land after the owner made the account public (and its
                    // pending requests were approved).
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                            .key(DynamoTable.key(Keys.userProfile(ownerId)))
                            .conditionExpression("#l = :t").expressionAttributeNames(Map.of("#l", ProfileItem.LOCKED))
                            .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build(),
                    table.exists(Keys.userProfile(requesterId)),
                    table.absent(Keys.follows(requesterId, ownerId)),
                    table.absent(Keys.block(requesterId, ownerId)),
                    table.absent(Keys.block(ownerId, requesterId))));
            return RequestResult.CREATED;
        } catch (DynamoTable.ConditionFailed e) {
            return switch (e.index()) {
                case 0 -> RequestResult.PENDING;
                case 2 -> table.get(Keys.userProfile(ownerId), true).isPresent() ? RequestResult.NOT_PRIVATE : RequestResult.GONE;
                case 4 -> RequestResult.FOLLOWING;
                default -> RequestResult.GONE;
            };
        }
    }

    @Override
    public boolean requested(String requesterId, String ownerId) {
        return table.get(Keys.followRequest(requesterId, ownerId), true).isPresent();
    }

    @Override
    public ApproveResult approve(String requesterId, String ownerId, String followOrderId, Instant now) {
        Optional<String> orderId = orderOf(requesterId, ownerId);
        if (orderId.isEmpty()) {
            return ApproveResult.NO_REQUEST;
        }
        var follow = new FollowItem.Edge(requesterId, ownerId, followOrderId, now);
        List<TransactWriteItem> items = new ArrayList<>(removal(requesterId, ownerId, orderId.get()));
        items.addAll(List.of(
                table.put(FollowItem.approvedEdge(follow), "attribute_not_exists(pk)"),
                table.put(FollowItem.followingEntry(follow), "attribute_not_exists(pk)"),
                table.put(FollowItem.followerEntry(follow), "attribute_not_exists(pk)"),
                table.exists(Keys.userProfile(requesterId)),
                table.exists(Keys.userProfile(ownerId)),
                table.absent(Keys.block(requesterId, ownerId)),
                table.absent(Keys.block(ownerId, requesterId))));
        try {
            table.transact(items);
            return ApproveResult.APPROVED;
        } catch (DynamoTable.ConditionFailed e) {
            if (e.index() < 2) {
                // Approved, denied or withdrawn by a request that came first.
                return ApproveResult.NO_REQUEST;
            }
            // Following already (a request that raced a follow made while the account was public), a profile
            // gone or a block: the request has no more use either way.
            remove(requesterId, ownerId);
            return e.index() == 2 ? ApproveResult.ALREADY_FOLLOWING : ApproveResult.GONE;
        }
    }

    @Override
    public boolean remove(String requesterId, String ownerId) {
        Optional<String> orderId = orderOf(requesterId, ownerId);
        if (orderId.isEmpty()) {
            return false;
        }
        try {
            table.transact(removal(requesterId, ownerId, orderId.get()));
            return true;
        } catch (DynamoTable.ConditionFailed e) {
            return false;
        }
    }

    /** Removes pending requests between two users both ways (a block does, once it stands); repeats change nothing. */
    static void removeBetween(DynamoTable table, String a, String b) {
        for (String[] pair : new String[][]{{a, b}, {b, a}}) {
            table.get(Keys.followRequest(pair[0], pair[1]), true).ifPresent(found -> {
                try {
                    table.transact(removal(table, pair[0], pair[1], required(found, ORDER_ID)));
                } catch (DynamoTable.ConditionFailed e) {
                    // Removed meanwhile by another request.
                }
            });
        }
    }

    private Optional<String> orderOf(String requesterId, String ownerId) {
        return table.get(Keys.followRequest(requesterId, ownerId), true).map(item -> required(item, ORDER_ID));
    }

    private List<TransactWriteItem> removal(String requesterId, String ownerId, String orderId) {
        return removal(table, requesterId, ownerId, orderId);
    }

    private static List<TransactWriteItem> removal(DynamoTable table, String requesterId, String ownerId, String orderId) {
        return List.of(
                table.delete(Keys.followRequest(requesterId, ownerId), ORDER_ID + " = :o", Map.of(":o", s(orderId))),
                table.delete(Keys.followRequestEntry(ownerId, orderId, requesterId), "attribute_exists(pk)", Map.of()));
    }

    @Override
    public Page<FollowEntry> requests(String ownerId, int limit, Optional<PageToken> after) {
        return table.page(Keys.followRequestsPartition(ownerId), null, true, limit, after, true,
                item -> new FollowEntry(required(item, "userId"), instant(item, "createdAt")));
    }

    @Override
    public Set<String> unreadable(String viewerId, Collection<String> authorIds) {
        List<Key> keys = new ArrayList<>();
        Set<String> others = new LinkedHashSet<>();
        for (String author : authorIds) {
            if (!author.equals(viewerId) && others.add(author)) {
                keys.add(Keys.userProfile(author));
                keys.add(Keys.follows(viewerId, author));
            }
        }
        Set<String> locked = new HashSet<>();
        if (keys.isEmpty()) {
            return locked;
        }
        Set<String> followed = new HashSet<>();
        // Strongly consistent: an approval or an unfollow a moment ago counts at once.
        for (var item : table.getAll(keys, true)) {
            if (ProfileItem.ENTITY_NAME.equals(DynamoTable.str(item, ENTITY))) {
                if (ProfileItem.locked(item)) {
                    locked.add(required(item, "userId"));
                }
            } else {
                followed.add(FollowItem.edgeFromItem(item).followeeId());
            }
        }
        locked.removeAll(followed);
        return locked;
    }
}
