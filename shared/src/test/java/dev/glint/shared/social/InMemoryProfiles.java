package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory profiles and follows, with the same rules as the table adapters, for domain tests. */
public final class InMemoryProfiles implements ProfileStore, FollowStore {

    final Map<String, Profile> profiles = new HashMap<>();
    final Map<String, String> handles = new HashMap<>();
    final Map<String, TreeMap<String, FollowEntry>> followers = new HashMap<>();
    final Map<String, TreeMap<String, FollowEntry>> following = new HashMap<>();
    final Map<String, String> followOrder = new HashMap<>();
    /** Search entries by {@code term + " " + userId}, which sorts as the table's {@code term#userId} does. */
    final TreeMap<String, SearchEntry> searchEntries = new TreeMap<>();

    @Override
    public Optional<Profile> find(String userId, boolean consistent) {
        return Optional.ofNullable(profiles.get(userId));
    }

    @Override
    public Map<String, Profile> findAll(Collection<String> userIds) {
        Map<String, Profile> out = new HashMap<>();
        userIds.forEach(id -> find(id, false).ifPresent(p -> out.put(id, p)));
        return out;
    }

    @Override
    public Optional<String> ownerOf(String handle) {
        return Optional.ofNullable(handles.get(handle.toLowerCase()));
    }

    @Override
    public Profile save(String userId, String handle, String displayName, String bio, Instant now) {
        String owner = handles.get(handle);
        if (owner != null && !owner.equals(userId)) {
            throw SocialException.conflict("handle_taken", "taken");
        }
        Profile current = profiles.get(userId);
        if (current != null) {
            handles.remove(current.handle());
        }
        handles.put(handle, userId);
        Profile saved = current == null
                ? new Profile(userId, handle, displayName, bio, 0, 0, 0, now, 1)
                : new Profile(userId, handle, displayName, bio, current.followers(), current.following(), current.posts(), current.createdAt(),
                        current.version() + 1, current.locked(), current.suspended());
        profiles.put(userId, saved);
        if (current != null) {
            SearchTerms.of(current.handle(), current.displayName()).forEach(term -> searchEntries.remove(term + " " + userId));
        }
        SearchTerms.of(handle, displayName).forEach(term -> searchEntries.put(term + " " + userId, new SearchEntry(term, userId)));
        return saved;
    }

    @Override
    public Page<SearchEntry> search(String prefix, int limit, Optional<PageToken> after) {
        var from = after.map(token -> searchEntries.tailMap(token.value(), false)).orElse(searchEntries);
        List<Map.Entry<String, SearchEntry>> matching = from.entrySet().stream()
                .filter(e -> e.getValue().term().startsWith(prefix)).limit(limit + 1L).toList();
        List<Map.Entry<String, SearchEntry>> page = matching.subList(0, Math.min(limit, matching.size()));
        Optional<PageToken> next = matching.size() > limit
                ? Optional.of(PageToken.of(page.get(page.size() - 1).getKey()))
                : Optional.empty();
        return new Page<>(page.stream().map(Map.Entry::getValue).toList(), next);
    }

    public void count(String userId, int followersDelta, int followingDelta, int postsDelta) {
        Profile p = profiles.get(userId);
        profiles.put(userId, new Profile(p.id(), p.handle(), p.displayName(), p.bio(), p.followers() + followersDelta,
                p.following() + followingDelta, p.posts() + postsDelta, p.createdAt(), p.version() + 1, p.locked(), p.suspended()));
    }

    @Override
    public boolean follow(String followerId, String followeeId, String orderId, Instant now) {
        if (followOrder.putIfAbsent(followerId + ">" + followeeId, orderId) != null) {
            return false;
        }
        followers.computeIfAbsent(followeeId, k -> new TreeMap<>()).put(orderId, new FollowEntry(followerId, now));
        following.computeIfAbsent(followerId, k -> new TreeMap<>()).put(orderId, new FollowEntry(followeeId, now));
        count(followerId, 0, 1, 0);
        count(followeeId, 1, 0, 0);
        return true;
    }

    @Override
    public boolean unfollow(String followerId, String followeeId) {
        String order = followOrder.remove(followerId + ">" + followeeId);
        if (order == null) {
            return false;
        }
        followers.get(followeeId).remove(order);
        following.get(followerId).remove(order);
        count(followerId, 0, -1, 0);
        count(followeeId, -1, 0, 0);
        return true;
    }

    @Override
    public boolean follows(String followerId, String followeeId) {
        return followOrder.containsKey(followerId + ">" + followeeId);
    }

    @Override
    public Page<FollowEntry> followers(String userId, int limit, Optional<PageToken> after) {
        return newestFirst(followers.getOrDefault(userId, new TreeMap<>()), limit, after);
    }

    @Override
    public Page<FollowEntry> following(String userId, int limit, Optional<PageToken> after, boolean consistent) {
        return newestFirst(following.getOrDefault(userId, new TreeMap<>()), limit, after);
    }

    /** Pages like the table: newest first, the page key is the last order id read. */
    private static <T> Page<T> newestFirst(TreeMap<String, T> entries, int limit, Optional<PageToken> after) {
        var view = after.map(token -> entries.headMap(token.value(), false)).orElse(entries).descendingMap();
        List<Map.Entry<String, T>> page = view.entrySet().stream().limit(limit).toList();
        Optional<PageToken> next = page.size() == limit && view.size() > limit
                ? Optional.of(PageToken.of(page.get(page.size() - 1).getKey()))
                : Optional.empty();
        return new Page<>(page.stream().map(Map.Entry::getValue).toList(), next);
    }

}
