package dev.glint.shared.social;

import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Profiles: create or update my own, read mine (strongly) and others' (eventually), find people by name. */
public final class Accounts {

    static final Pattern HANDLE = Pattern.compile("[a-z0-9_]{3,30}");
    static final int MAX_DISPLAY_NAME = 50;
    static final int MAX_BIO = 150;

    private final ProfileStore profiles;
    private final Clock clock;
    private final PeopleSearch people;

    public Accounts(ProfileStore profiles, Clock clock) {
        this.profiles = profiles;
        this.clock = clock;
        this.people = new PeopleSearch(profiles);
    }

    /**
     * Creates or updates the caller's profile. A handle is required when creating; when updating,
     * absent fields keep their value.
     */
    public Profile putMe(String userId, Optional<String> handle, Optional<String> displayName, Optional<String> bio) {
        Optional<Profile> current = profiles.find(userId, true);
        current.filter(Profile::isSuspended).ifPresent(p -> {
            throw suspended();
        });
        String newHandle = handle.map(Accounts::normalizeHandle)
                .or(() -> current.map(Profile::handle))
                .orElseThrow(() -> SocialException.invalid("handle_required",
                        "handle is required to create a profile: 3-30 letters, digits or '_'."));
        String name = displayName.or(() -> current.map(Profile::displayName)).orElse(newHandle);
        String about = bio.or(() -> current.map(Profile::bio)).orElse("");
        Text.requireName("displayName", name, 1, MAX_DISPLAY_NAME);
        Text.requireLength("bio", about, 0, MAX_BIO);
        return profiles.save(userId, newHandle, name.strip(), about.strip(), clock.instant());
    }

    /**
     * The caller's profile, as every write asks for it: a write needs a profile, and an account a
     * moderator suspended writes nothing ({@code 403 account_suspended}).
     */
    public Profile me(String userId) {
        Profile me = mine(userId);
        if (me.isSuspended()) {
            throw suspended();
        }
        return me;
    }

    /** The caller's profile, read strongly, suspended or not (they may read it, with why). */
    public Profile mine(String userId) {
        return profiles.find(userId, true).orElseThrow(() -> SocialException.notFound("profile_not_found",
                "You have no profile yet: create one with PUT /v1/me {\"handle\":\"...\"}."));
    }

    /** A user's profile, read strongly, if they have one. */
    public Optional<Profile> find(String userId) {
        return profiles.find(userId, true);
    }

    /**
     * The profile that owns a handle; the viewer's own profile is read strongly. A suspended account is,
     * to everyone but its owner, a handle nobody has.
     */
    public Profile byHandle(String handle, String viewerId) {
        String userId = ownerOf(handle);
        return profiles.find(userId, userId.equals(viewerId))
                .filter(p -> !p.isSuspended() || p.id().equals(viewerId))
                .orElseThrow(() -> unknownHandle(handle));
    }

    /** Whether a moderator suspended the user's account (one eventually consistent read of the profile). */
    public boolean suspended(String userId) {
        return profiles.find(userId, false).map(Profile::isSuspended).orElse(false);
    }

    static SocialException suspended() {
        return new SocialException(SocialException.Kind.FORBIDDEN, "account_suspended", "A moderator suspended this account: it can no longer post,"
                + " comment, like, follow or change its profile. Its owner can still read it with GET /v1/me.");
    }

    /** The user id behind a handle. */
    public String ownerOf(String handle) {
        if (handle == null || !HANDLE.matcher(handle.toLowerCase(Locale.ROOT)).matches()) {
            throw unknownHandle(handle);
        }
        return profiles.ownerOf(handle).orElseThrow(() -> unknownHandle(handle));
    }

    /**
     * People whose handle or a word of whose display name begins with the query's words, accents and
     * case aside ({@link SearchTerms}), each once, in the order of the term they are listed by.
     *
     * @param query what {@link SearchTerms#query} made of the caller's text
     * @throws IllegalArgumentException if {@code after} is a token of another list
     */
    public Page<Profile> search(SearchTerms.Query query, int limit, Optional<PageToken> after) {
        return people.search(query, limit, after);
    }

    static String normalizeHandle(String handle) {
        String lower = handle.toLowerCase(Locale.ROOT);
        if (!HANDLE.matcher(lower).matches()) {
            throw SocialException.invalid("invalid_handle", "handle must be 3-30 letters, digits or '_'.");
        }
        return lower;
    }

    static SocialException unknownHandle(String handle) {
        return SocialException.notFound("user_not_found", "No user has the handle " + Text.quote(handle) + ".");
    }
}
