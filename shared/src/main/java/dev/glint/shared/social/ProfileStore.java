package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Profiles and the handles they own. */
public interface ProfileStore {

    /** @param consistent true when the caller reads their own profile (read-your-writes) */
    Optional<Profile> find(String userId, boolean consistent);

    /** Many profiles at once (eventually consistent); missing ids are absent from the result. */
    Map<String, Profile> findAll(Collection<String> userIds);

    /** The owner of a handle (any case), if it is claimed. */
    Optional<String> ownerOf(String handle);

    /**
     * Creates or updates a profile. A new handle is claimed and the old one released in the same
     * transaction, so a handle never has two owners and a profile never loses its handle. The
     * profile's search entries ({@link SearchTerms#of}) change in the same transaction: the terms it
     * lost are removed, the ones it gained added.
     *
     * @throws SocialException CONFLICT {@code handle_taken} if another user owns the handle
     */
    Profile save(String userId, String handle, String displayName, String bio, Instant now);

    /**
     * One page of the search entries whose term begins with a prefix, in term order (eventually
     * consistent). A profile has one entry per term, so the same user may come several times.
     *
     * @param prefix a normalised word of at least {@link SearchTerms#MIN_QUERY} characters
     * @throws IllegalArgumentException if {@code after} is a token of another list
     */
    Page<SearchEntry> search(String prefix, int limit, Optional<PageToken> after);

    /** A profile listed under one of its terms. */
    record SearchEntry(String term, String userId) {
    }
}
