package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Blocks and mutes in memory, over the follows of {@link InMemoryProfiles}. */
public final class InMemorySafety implements SafetyStore {

    final Map<String, Instant> blocks = new TreeMap<>();
    final Map<String, Instant> mutes = new TreeMap<>();
    private final InMemoryProfiles people;

    public InMemorySafety(InMemoryProfiles people) {
        this.people = people;
    }

    private static String edge(String a, String b) {
        return a + ">" + b;
    }

    @Override
    public Blocked block(String blockerId, String blockedId, Instant now) {
        if (blocks.putIfAbsent(edge(blockerId, blockedId), now) != null) {
            return new Blocked(false, false, false);
        }
        return new Blocked(true, people.unfollow(blockerId, blockedId), people.unfollow(blockedId, blockerId));
    }

    @Override
    public boolean blocks(String blockerId, String blockedId) {
        return blocks.containsKey(edge(blockerId, blockedId));
    }

    @Override
    public boolean unblock(String blockerId, String blockedId) {
        return blocks.remove(edge(blockerId, blockedId)) != null;
    }

    @Override
    public boolean mute(String muterId, String mutedId, Instant now) {
        return mutes.putIfAbsent(edge(muterId, mutedId), now) == null;
    }

    @Override
    public boolean unmute(String muterId, String mutedId) {
        return mutes.remove(edge(muterId, mutedId)) != null;
    }

    @Override
    public Page<FollowEntry> blocks(String userId, int limit, Optional<PageToken> after) {
        return list(blocks, userId);
    }

    @Override
    public Page<FollowEntry> mutes(String userId, int limit, Optional<PageToken> after) {
        return list(mutes, userId);
    }

    private static Page<FollowEntry> list(Map<String, Instant> edges, String userId) {
        List<FollowEntry> out = edges.entrySet().stream().filter(e -> e.getKey().startsWith(userId + ">"))
                .map(e -> new FollowEntry(e.getKey().substring(userId.length() + 1), e.getValue())).toList();
        return new Page<>(out, Optional.empty());
    }

    @Override
    public Set<String> hidden(String viewerId, Collection<String> userIds, boolean withMutes) {
        Set<String> hidden = new HashSet<>();
        for (String other : userIds) {
            if (blocks(viewerId, other) || blocks(other, viewerId) || (withMutes && mutes.containsKey(edge(viewerId, other)))) {
                hidden.add(other);
            }
        }
        return hidden;
    }
}
