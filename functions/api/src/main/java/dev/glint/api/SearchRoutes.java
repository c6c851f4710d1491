package dev.glint.api;

import dev.glint.shared.paging.Page;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.Safety;
import dev.glint.shared.social.SearchTerms;

import static dev.glint.api.RouteSupport.caller;

/** Finding people: by the beginning of a handle or of a word of a display name, accents and case aside. */
final class SearchRoutes implements RouteGroup {

    /**
     * Results a page: fewer than other lists allow, since a page may take up to three rounds of a
     * Query and a BatchGetItem when a person found by several terms is skipped.
     */
    static final int MAX_LIMIT = 50;

    private final Accounts accounts;
    private final RouteSupport support;
    private final Safety safety;

    /** @param safety blocks: people blocked either way with the caller are left out (a page may be short) */
    SearchRoutes(Accounts accounts, RouteSupport support, Safety safety) {
        this.safety = safety;
        this.accounts = accounts;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/search/users", this::users);
    }

    private HttpResponse users(HttpRequest request) {
        String caller = caller(request);
        SearchTerms.Query query = SearchTerms.query(request.query().get("q"));
        int limit = RouteSupport.limit(request, MAX_LIMIT);
        // The cursor is bound to the query as normalised: "José" and "jose" page through one list.
        String list = "people:" + query.normalised();
        Page<Profile> page = accounts.search(query, limit, support.after(request, list));
        // Suspended accounts are, to everyone else, nobody (the profiles read carry the suspension: no extra read).
        return support.page(safety.visible(caller, page.items(), Profile::id, false).stream()
                .filter(p -> !p.isSuspended() || p.id().equals(caller))
                .map(Views.ProfileView::of).toList(), page.next(), list);
    }
}
