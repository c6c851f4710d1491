package dev.glint.shared.social;

import java.util.Collection;
import java.util.Set;

/**
 * Whose posts a viewer may not read: authors of private accounts the viewer does not follow
 * ({@link Privacy} answers). Their posts are, to the viewer, no posts.
 */
@FunctionalInterface
public interface PrivateAuthors {

    /** No private accounts at all (tests of the rest alone). */
    PrivateAuthors NONE = (viewerId, authorIds) -> Set.of();

    /** Of these authors, those the viewer may not read; never the viewer. One batch read. */
    Set<String> unreadable(String viewerId, Collection<String> authorIds);
}
