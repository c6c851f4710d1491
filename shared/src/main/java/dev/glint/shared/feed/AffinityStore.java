package dev.glint.shared.feed;

import java.time.Instant;
import java.util.Collection;

/**
 * Whom a reader interacts with: the authors whose posts they liked or commented on recently. Read
 * by the feed within its one batch read ({@link FeedStore#hydrate(String, java.util.List, java.util.Set, boolean)}).
 */
public interface AffinityStore {

    /** Records the interactions; recording one again changes nothing a reader would see. */
    void record(Collection<Interaction> interactions);

    record Interaction(String readerId, String authorId, Instant at) {
    }
}
