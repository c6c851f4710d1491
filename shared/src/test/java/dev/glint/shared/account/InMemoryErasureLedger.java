package dev.glint.shared.account;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Tombstones in memory: for the erasure's own tests and handler tests that build the composition by hand. */
public class InMemoryErasureLedger implements ErasureLedger {

    private final Map<String, Progress> tombstones = new ConcurrentHashMap<>();

    @Override
    public Start start(String userId, Instant now) {
        Progress before = tombstones.putIfAbsent(userId, new Progress(0, false));
        return before == null ? Start.STARTED : before.finished() ? Start.ALREADY_FINISHED : Start.ALREADY_RUNNING;
    }

    @Override
    public Optional<Progress> progress(String userId) {
        return Optional.ofNullable(tombstones.get(userId));
    }

    @Override
    public void advance(String userId, long page) {
        tombstones.computeIfPresent(userId, (id, p) -> p.page() == page ? new Progress(page + 1, false) : p);
    }

    @Override
    public void finish(String userId, Instant now) {
        tombstones.put(userId, new Progress(0, true));
    }

    @Override
    public boolean erased(String userId) {
        return tombstones.containsKey(userId);
    }
}
