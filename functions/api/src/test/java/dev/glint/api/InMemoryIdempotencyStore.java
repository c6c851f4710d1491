package dev.glint.api;

import dev.glint.shared.idempotency.IdempotencyStore;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The table's idempotency items, kept in a map with the same conditions as {@code DynamoIdempotencyStore}. */
final class InMemoryIdempotencyStore implements IdempotencyStore {

    private record Item(String fingerprint, String lock, Instant lockedUntil, Instant expires, StoredResponse response) {
    }

    private final Map<String, Item> items = new HashMap<>();

    @Override
    public synchronized Claim claim(String userId, String key, String fingerprint, Instant now, Instant lockedUntil, Instant expires) {
        String id = userId + "\n" + key;
        Item old = items.get(id);
        boolean free = old == null || old.expires().isBefore(now)
                || (old.response() == null && old.lockedUntil().isBefore(now) && old.fingerprint().equals(fingerprint));
        if (free) {
            String lock = UUID.randomUUID().toString();
            items.put(id, new Item(fingerprint, lock, lockedUntil, expires, null));
            return new Claim.Claimed(lock);
        }
        if (!old.fingerprint().equals(fingerprint)) {
            return new Claim.Mismatch();
        }
        return old.response() != null ? new Claim.Replay(old.response()) : new Claim.InProgress(old.lockedUntil());
    }

    @Override
    public synchronized void complete(String userId, String key, String lock, StoredResponse response) {
        items.computeIfPresent(userId + "\n" + key, (id, item) -> lock.equals(item.lock())
                ? new Item(item.fingerprint(), null, null, item.expires(), response) : item);
    }

    @Override
    public synchronized void release(String userId, String key, String lock) {
        items.computeIfPresent(userId + "\n" + key, (id, item) -> lock.equals(item.lock()) ? null : item);
    }

    synchronized int size() {
        return items.size();
    }
}
