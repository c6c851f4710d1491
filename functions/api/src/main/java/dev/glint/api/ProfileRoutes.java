package dev.glint.api;

import dev.glint.shared.paging.Page;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.Safety;

import java.util.Optional;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.limit;

/** Profiles and follows: my profile, anyone's by handle, following, and the lists of a user. */
final class ProfileRoutes implements RouteGroup {

    private final Accounts accounts;
    private final Follows follows;
    private final Publishing publishing;
    private final Views views;
    private final RouteSupport support;
    private final Safety safety;

    /** @param safety blocks: a user blocked either way is, on every route by handle, a handle nobody has */
    ProfileRoutes(Accounts accounts, Follows follows, Publishing publishing, Views views, RouteSupport support,
                  Safety safety) {
        this.safety = safety;
        this.accounts = accounts;
        this.follows = follows;
        this.publishing = publishing;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("PUT", "/v1/me", this::putMe)
                .add("GET", "/v1/me", r -> cached(r, accounts.mine(caller(r))))
                .add("GET", "/v1/users/{handle}", this::user)
                .add("POST", "/v1/users/{handle}/follow", r -> HttpResponse.json(200,
                        new Views.FollowView(true, follows.follow(caller(r), visible(r)))))
                .add("DELETE", "/v1/users/{handle}/follow", r -> HttpResponse.json(200,
                        new Views.FollowView(false, follows.unfollow(caller(r), visible(r)))))
                .add("GET", "/v1/users/{handle}/followers", this::followers)
                .add("GET", "/v1/users/{handle}/following", this::following)
                .add("GET", "/v1/users/{handle}/posts", this::postsBy);
    }

    private static String handle(HttpRequest request) {
        return request.pathParams().get("handle");
    }

    /** The handle, once its owner is known to be visible to the caller (not blocked either way). */
    private String visible(HttpRequest request) {
        safety.visibleOwner(caller(request), handle(request));
        return handle(request);
    }

    /** Someone's profile, with whether the caller follows them (in its ETag too: a follow changes the view). */
    private HttpResponse user(HttpRequest request) {
        String caller = caller(request);
        Profile profile = accounts.byHandle(visible(request), caller);
        if (profile.id().equals(caller)) {
            return cached(request, profile);
        }
        boolean followed = follows.follows(caller, profile.id());
        String etag = HttpCaching.ofVersions("user", profile.id(), profile.version(), followed ? "followed" : "");
        return HttpCaching.notModified(request, etag).orElseGet(() ->
                HttpResponse.json(200, Views.ProfileView.of(profile, Optional.of(followed))).withHeader("etag", etag));
    }

    /** A profile named by its version: a client holding it gets 304 before the body is built. */
    private static HttpResponse cached(HttpRequest request, Profile profile) {
        String etag = HttpCaching.ofVersions("user", profile.id(), profile.version());
        return HttpCaching.notModified(request, etag).orElseGet(() ->
                HttpResponse.json(200, Views.ProfileView.of(profile)).withHeader("etag", etag));
    }

    private HttpResponse putMe(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("handle", "displayName", "bio"));
        Profile saved = accounts.putMe(caller, body.optionalString("handle"), body.optionalString("displayName"),
                body.optionalString("bio"));
        return HttpResponse.json(200, Views.ProfileView.of(saved));
    }

    private HttpResponse followers(HttpRequest request) {
        String list = "followers:" + safety.visibleOwner(caller(request), handle(request));
        Page<FollowEntry> page = follows.followers(handle(request), limit(request), support.after(request, list));
        return support.page(views.people(safety.visible(caller(request), page.items(), FollowEntry::userId, false)),
                page.next(), list);
    }

    private HttpResponse following(HttpRequest request) {
        String list = "following:" + safety.visibleOwner(caller(request), handle(request));
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
