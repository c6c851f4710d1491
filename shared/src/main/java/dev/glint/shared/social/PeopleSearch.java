package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * People by the beginning of their handle or of a word of their name, read from the search entries
 * a profile's writes keep ({@link ProfileStore#search}): one query of the prefix's partition and one
 * batch read of the profiles a round, never a scan.
 *
 * <p>Each entry is checked against the profile it names: a user found by several terms is listed
 * only at the first ({@link SearchTerms.Query#listedBy}), so no page repeats anyone a previous page
 * showed; an entry the profile no longer has (read a moment before a rename settles) is skipped; the
 * query's other words must begin terms of the profile too ("jose alv").
 */
final class PeopleSearch {

    /** Reads of the index a page may make when checks leave it short: each is one Query and one BatchGetItem. */
    static final int MAX_ROUNDS = 3;

    private final ProfileStore profiles;

    PeopleSearch(ProfileStore profiles) {
        this.profiles = profiles;
    }

    Page<Profile> search(SearchTerms.Query query, int limit, Optional<PageToken> after) {
        Set<String> seen = new LinkedHashSet<>();
        List<Profile> found = new ArrayList<>();
        Optional<PageToken> position = after;
        for (int round = 0; round < MAX_ROUNDS && found.size() < limit; round++) {
            Page<ProfileStore.SearchEntry> entries = profiles.search(query.key(), limit - found.size(), position);
            Map<String, Profile> named = entries.items().isEmpty() ? Map.of()
                    : profiles.findAll(entries.items().stream().map(ProfileStore.SearchEntry::userId).toList());
            for (ProfileStore.SearchEntry entry : entries.items()) {
                Profile profile = named.get(entry.userId());
                if (profile != null && listedHere(query, entry, profile) && seen.add(profile.id())) {
                    found.add(profile);
                }
            }
            position = entries.next();
            if (position.isEmpty()) {
                break;
            }
        }
        return new Page<>(found, position);
    }

    private static boolean listedHere(SearchTerms.Query query, ProfileStore.SearchEntry entry, Profile profile) {
        SortedSet<String> terms = SearchTerms.of(profile.handle(), profile.displayName());
        return query.listedBy(terms).filter(entry.term()::equals).isPresent() && query.matches(terms);
    }
}
