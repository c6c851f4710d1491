package dev.glint.api;

import dev.glint.shared.paging.Page;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Privacy;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.Safety;
import dev.glint.shared.social.SocialException;

import java.util.Optional;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.handle;
import static dev.glint.api.RouteSupport.limit;

/** Profiles and follows: my profile, anyone's by handle, following, and the lists of a user. */
final class ProfileRoutes implements RouteGroup {

    private final Accounts accounts;
    private final Follows follows;
    private final Publishing publishing;
    private final Views views;
    private final RouteSupport support;
    private final Safety safety;
    private final Privacy privacy;

    /** Whether an account was deleted: read only when the caller has no profile, to say which it is. */
    private final java.util.function.Predicate<String> erased;

    /**
     * @param safety  blocks: a user blocked either way is, on every route by handle, a handle nobody has
     * @param privacy private accounts: following one is a request; its lists are for its followers
     */
    ProfileRoutes(Accounts accounts, Follows follows, Publishing publishing, Views views, RouteSupport support,
                  Safety safety, Privacy privacy, java.util.function.Predicate<String> erased) {
        this.erased = erased;
        this.safety = safety;
        this.accounts = accounts;
        this.follows = follows;
        this.publishing = publishing;
        this.views = views;
        this.support = support;
        this.privacy = privacy;
    }

    @Override
    public void register(Router router) {
        router.add("PUT", "/v1/me", this::putMe)
                .add("GET", "/v1/me", r -> cached(r, mine(caller(r))))
                .add("GET", "/v1/users/{handle}", this::user)
                .add("POST", "/v1/users/{handle}/follow", this::follow)
                .add("DELETE", "/v1/users/{handle}/follow", r -> HttpResponse.json(200,
                        new Views.FollowView(false, privacy.unfollow(caller(r), handle(r)))))
                .add("GET", "/v1/users/{handle}/followers", this::followers)
                .add("GET", "/v1/users/{handle}/following", this::following)
                .add("GET", "/v1/users/{handle}/posts", this::postsBy);
    }

    /** The handle, once its owner is known to be visible to the caller (not blocked either way). */
    private String visible(HttpRequest request) {
        safety.visibleOwner(caller(request), handle(request));
        return handle(request);
    }

    /** A public account is followed (200, as ever); a private one gets a request its owner answers (202). */
    private HttpResponse follow(HttpRequest request) {
        Privacy.FollowOutcome outcome = privacy.follow(caller(request), handle(request));
        if (outcome instanceof Privacy.Requested) {
            return HttpResponse.json(202, new Views.FollowRequestView("requested", false, outcome.changed()));
        }
        return HttpResponse.json(200, new Views.FollowView(true, outcome.changed()));
    }

    /**
     * Someone's profile, with whether the caller follows them, and on a private account whether the caller
     * asked to (both in its ETag: a follow or request changes the view).
     */
    private HttpResponse user(HttpRequest request) {
        String caller = caller(request);
        Profile profile = accounts.byHandle(visible(request), caller);
        if (profile.id().equals(caller)) {
            return cached(request, profile);
        }
        boolean followed = follows.follows(caller, profile.id());
        Optional<Boolean> requested = profile.locked() && !followed
                ? Optional.of(privacy.requested(caller, profile.id())) : Optional.empty();
        String etag = HttpCaching.ofVersions("user", profile.id(), profile.version(), followed ? "followed" : "",
                requested.orElse(false) ? "requested" : "");
        return HttpCaching.notModified(request, etag).orElseGet(() -> HttpResponse.json(200,
                Views.ProfileView.of(profile, Optional.of(followed), requested)).withHeader("etag", etag));
    }

    /** My profile; with none, a deleted account says so rather than inviting me to make one. */
    private Profile mine(String caller) {
        return accounts.find(caller).orElseThrow(() -> erased.test(caller)
                ? new ApiException(401, "account_deleted", "This account was deleted and its data is being erased: "
                        + "sign in with another account.")
                : SocialException.notFound("profile_not_found", "You have no profile yet: create one with PUT /v1/me {\"handle\":\"...\"}."));
    }

    /** A profile named by its version: a client holding it gets 304 before the body is built. */
    private static HttpResponse cached(HttpRequest request, Profile profile) {
        String etag = HttpCaching.ofVersions("user", profile.id(), profile.version());
        return HttpCaching.notModified(request, etag).orElseGet(() ->
                HttpResponse.json(200, Views.ProfileView.of(profile)).withHeader("etag", etag));
    }

    /** {@code {"handle", "displayName", "bio", "private"}}: absent fields keep their value. */
    private HttpResponse putMe(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("handle", "displayName", "bio", "private"));
        Optional<Boolean> locked = body.optionalBoolean("private");
        Optional<String> handle = body.optionalString("handle");
        Optional<String> displayName = body.optionalString("displayName");
        Optional<String> bio = body.optionalString("bio");
        Profile saved = locked.isPresent() && handle.isEmpty() && displayName.isEmpty() && bio.isEmpty()
                ? accounts.me(caller) : accounts.putMe(caller, handle, displayName, bio);
        if (locked.isPresent()) {
            saved = privacy.setPrivate(caller, locked.get());
        }
        return HttpResponse.json(200, Views.ProfileView.of(saved));
    }

    /** A private account's followers and following are listed to itself and its followers only. */
    private String readableList(HttpRequest request, String which) {
        String owner = safety.visibleOwner(caller(request), handle(request));
        privacy.requireReadable(caller(request), owner, handle(request).toLowerCase(java.util.Locale.ROOT));
        return which + ":" + owner;
    }

    private HttpResponse followers(HttpRequest request) {
        String list = readableList(request, "followers");
        Page<FollowEntry> page = follows.followers(handle(request), limit(request), support.after(request, list));
        return support.page(views.people(safety.visible(caller(request), page.items(), FollowEntry::userId, false)),
                page.next(), list);
    }

    private HttpResponse following(HttpRequest request) {
        String list = readableList(request, "following");
        Page<FollowEntry> page = follows.following(caller(request), handle(request), limit(request),
                support.after(request, list));
        return support.page(views.people(safety.visible(caller(request), page.items(), FollowEntry::userId, false)),
                page.next(), list);
    }

    private HttpResponse postsBy(HttpRequest request) {
        String list = "posts:" + accounts.ownerOf(handle(request));
        Page<Post> page = publishing.postsBy(handle(request), caller(request), limit(request), support.after(request, list));
        return support.page(views.posts(caller(request), page.items()), page.next(), list);
    }
}
