package dev.glint.shared.social;

import java.util.Collection;
import java.util.Set;

/** Who is blocked either way with a viewer, as the use cases that hide them ask ({@link Safety} answers). */
@FunctionalInterface
public interface Blocks {

    /** No blocks at all (tests of the rest alone). */
    Blocks NONE = (viewerId, userIds) -> Set.of();

    /** Of these users, those the viewer blocked or who blocked the viewer; one batch read. */
    Set<String> hidden(String viewerId, Collection<String> userIds);
}
