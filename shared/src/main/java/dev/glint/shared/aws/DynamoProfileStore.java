package dev.glint.shared.aws;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;
import dev.glint.shared.social.SearchTerms;
import dev.glint.shared.social.SocialException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.glint.shared.aws.DynamoTable.n;
import static dev.glint.shared.aws.DynamoTable.s;

/**
 * {@link ProfileStore} on the table: profile items, handle claims and search entries, changed together
 * in transactions.
 */
public final class DynamoProfileStore implements ProfileStore {

    private static final int MAX_ATTEMPTS = 5;
    private final DynamoTable table;

    public DynamoProfileStore(DynamoDbClient client, String tableName) {
        this.table = new DynamoTable(client, tableName);
    }

    @Override
    public Optional<Profile> find(String userId, boolean consistent) {
        return table.get(Keys.userProfile(userId), consistent).map(ProfileItem::fromItem);
    }

    @Override
    public Map<String, Profile> findAll(Collection<String> userIds) {
        List<Key> keys = userIds.stream().distinct().map(Keys::userProfile).toList();
        return table.getAll(keys, false).stream().map(ProfileItem::fromItem)
                .collect(Collectors.toMap(Profile::id, Function.identity()));
    }

    @Override
    public Optional<String> ownerOf(String handle) {
        return table.get(Keys.handle(handle), false).or(() -> table.get(Keys.handle(handle), true))
                .map(ProfileItem::ownerOfClaim);
    }

    @Override
    public Profile save(String userId, String handle, String displayName, String bio, Instant now) {
        for (int attempt = 1; ; attempt++) {
            Optional<Profile> current = find(userId, true);
            try {
                if (current.isEmpty()) {
                    create(userId, handle, displayName, bio, now);
                } else {
                    update(current.get(), handle, displayName, bio);
                }
                return find(userId, true).orElseThrow();
            } catch (DynamoTable.ConditionFailed e) {
                // Index 0 is always the new handle's claim; other failures mean the profile changed meanwhile.
                if (e.index() == 0 && !handle.equals(current.map(Profile::handle).orElse(null))) {
                    throw SocialException.conflict("handle_taken", "The handle '" + handle + "' is taken; choose another.");
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw SocialException.conflict("concurrent_update", "Your profile changed meanwhile; try again.");
                }
            }
        }
    }

    private void create(String userId, String handle, String displayName, String bio, Instant now) {
        Map<String, AttributeValue> profile = ProfileItem.toItem(new Profile(userId, handle, displayName, bio, 0, 0, 0, now, 1));
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                claim(userId, handle),
                table.put(profile, "attribute_not_exists(pk)")));
        items.addAll(searchChanges(userId, Set.of(), SearchTerms.of(handle, displayName)));
        table.transact(items);
    }

    private void update(Profile current, String handle, String displayName, String bio) {
        // The profile keeps the handle and name its search entries were made from, or the entries would go stale.
        Map<String, AttributeValue> values = Map.of(":h", s(handle), ":n", s(displayName), ":b", s(bio),
                ":old", s(current.handle()), ":oldName", s(current.displayName()), ":one", n(1));
        var profile = table.update(Keys.userProfile(current.id()), "SET #h = :h, " + ProfileItem.DISPLAY_NAME + " = :n, "
                + ProfileItem.BIO + " = :b ADD " + ProfileItem.VERSION + " :one", Map.of("#h", ProfileItem.HANDLE), values,
                "#h = :old AND " + ProfileItem.DISPLAY_NAME + " = :oldName");
        // Index 0 stays the claim: when the handle is kept it is re-asserted (it is ours) so indexes keep their meaning.
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(claim(current.id(), handle));
        if (!handle.equals(current.handle())) {
            items.add(table.delete(Keys.handle(current.handle()), "userId = :me", Map.of(":me", s(current.id()))));
        }
        items.add(profile);
        items.addAll(searchChanges(current.id(), SearchTerms.of(current.handle(), current.displayName()),
                SearchTerms.of(handle, displayName)));
        table.transact(items);
    }

    /**
     * The entries of the terms a profile lost, deleted, and of all it has, put: at most 2 x
     * {@link SearchTerms#MAX_TERMS} items. Putting the kept ones again costs a few writes on a rare
     * request and makes every profile write heal its entries (a profile made before the index gets
     * them at its next change).
     */
    private List<TransactWriteItem> searchChanges(String userId, Set<String> before, Set<String> after) {
        List<TransactWriteItem> changes = new ArrayList<>();
        Set<String> lost = new TreeSet<>(before);
        lost.removeAll(after);
        lost.forEach(term -> changes.add(TransactWriteItem.builder()
                .delete(d -> d.tableName(table.name()).key(DynamoTable.key(Keys.searchEntry(term, userId)))).build()));
        after.forEach(term -> changes.add(TransactWriteItem.builder()
                .put(p -> p.tableName(table.name()).item(SearchItem.toItem(term, userId))).build()));
        return changes;
    }

    @Override
    public Page<SearchEntry> search(String prefix, int limit, Optional<PageToken> after) {
        return table.page(Keys.searchPartition(prefix), prefix, false, limit, after, false, SearchItem::fromItem);
    }

    private TransactWriteItem claim(String userId, String handle) {
        Map<String, AttributeValue> item = ProfileItem.handleClaim(userId, handle);
        return TransactWriteItem.builder().put(p -> p
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(pk) OR userId = :me")
                .expressionAttributeValues(Map.of(":me", s(userId)))).build();
    }
}
