package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** In-memory private accounts and follow requests, with the same conditions as the table adapter, for domain tests. */
public final class InMemoryPrivacy implements PrivacyStore {

    private final InMemoryProfiles people;
    private final InMemorySafety blocks;
    /** Pending requests by {@code requester>owner}: their order id. */
    private final Map<String, String> requests = new HashMap<>();
    private final Map<String, TreeMap<String, FollowEntry>> byOwner = new HashMap<>();

    public InMemoryPrivacy(InMemoryProfiles people, InMemorySafety blocks) {
        this.people = people;
        this.blocks = blocks;
    }

    @Override
    public Profile setLocked(String userId, boolean locked) {
        Profile p = people.find(userId, true).orElseThrow(() -> SocialException.notFound("profile_not_found", "none"));
        Profile saved = new Profile(p.id(), p.handle(), p.displayName(), p.bio(), p.followers(), p.following(), p.posts(),
                p.createdAt(), p.version() + 1, locked, p.suspended());
        people.profiles.put(userId, saved);
        return saved;
    }

    private boolean blockedEitherWay(String a, String b) {
        return blocks.blocks(a, b) || blocks.blocks(b, a);
    }

    @Override
    public RequestResult request(String requesterId, String ownerId, String orderId, Instant now) {
        if (requests.containsKey(requesterId + ">" + ownerId)) {
            return RequestResult.PENDING;
        }
        Optional<Profile> owner = people.find(ownerId, true);
        if (owner.isEmpty() || people.find(requesterId, true).isEmpty() || blockedEitherWay(requesterId, ownerId)) {
            return RequestResult.GONE;
        }
        if (!owner.get().locked()) {
            return RequestResult.NOT_PRIVATE;
        }
        if (people.follows(requesterId, ownerId)) {
            return RequestResult.FOLLOWING;
        }
        requests.put(requesterId + ">" + ownerId, orderId);
        byOwner.computeIfAbsent(ownerId, k -> new TreeMap<>()).put(orderId, new FollowEntry(requesterId, now));
        return RequestResult.CREATED;
    }

    @Override
    public boolean requested(String requesterId, String ownerId) {
        return requests.containsKey(requesterId + ">" + ownerId);
    }

    @Override
    public ApproveResult approve(String requesterId, String ownerId, String followOrderId, Instant now) {
        if (!remove(requesterId, ownerId)) {
            return ApproveResult.NO_REQUEST;
        }
        if (people.follows(requesterId, ownerId)) {
            return ApproveResult.ALREADY_FOLLOWING;
        }
        if (blockedEitherWay(requesterId, ownerId) || people.find(requesterId, true).isEmpty()) {
            return ApproveResult.GONE;
        }
        people.follow(requesterId, ownerId, followOrderId, now);
        return ApproveResult.APPROVED;
    }

    @Override
    public boolean remove(String requesterId, String ownerId) {
        String order = requests.remove(requesterId + ">" + ownerId);
        if (order == null) {
            return false;
        }
        byOwner.get(ownerId).remove(order);
        return true;
    }

    @Override
    public Page<FollowEntry> requests(String ownerId, int limit, Optional<PageToken> after) {
        var view = after.map(t -> byOwner.getOrDefault(ownerId, new TreeMap<>()).headMap(t.value(), false))
                .orElse(byOwner.getOrDefault(ownerId, new TreeMap<>())).descendingMap();
        List<Map.Entry<String, FollowEntry>> page = view.entrySet().stream().limit(limit).toList();
        Optional<PageToken> next = page.size() == limit && view.size() > limit
                ? Optional.of(PageToken.of(page.get(page.size() - 1).getKey())) : Optional.empty();
        return new Page<>(page.stream().map(Map.Entry::getValue).toList(), next);
    }

    @Override
    public Set<String> unreadable(String viewerId, Collection<String> authorIds) {
        Set<String> out = new LinkedHashSet<>();
        for (String author : authorIds) {
            if (!author.equals(viewerId) && people.find(author, true).map(Profile::locked).orElse(false)
                    && !people.follows(viewerId, author)) {
                out.add(author);
            }
        }
        return out;
    }
}
