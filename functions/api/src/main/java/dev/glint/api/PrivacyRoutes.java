package dev.glint.api;

import dev.glint.shared.paging.Page;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Privacy;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.handle;
import static dev.glint.api.RouteSupport.limit;

/** The follow requests a private account has pending, and its owner's answers to them. */
final class PrivacyRoutes implements RouteGroup {

    /** {@code approved}: whether the requester now follows me; {@code changed}: whether this request did it. */
    record ApprovalView(boolean approved, boolean changed) {
    }

    record DenialView(boolean denied, boolean changed) {
    }

    private final Privacy privacy;
    private final Views views;
    private final RouteSupport support;

    PrivacyRoutes(Privacy privacy, Views views, RouteSupport support) {
        this.privacy = privacy;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/me/follow-requests", this::requests)
                .add("POST", "/v1/me/follow-requests/{handle}/approve", r -> HttpResponse.json(200,
                        new ApprovalView(true, privacy.approve(caller(r), handle(r)))))
                .add("POST", "/v1/me/follow-requests/{handle}/deny", r -> HttpResponse.json(200,
                        new DenialView(true, privacy.deny(caller(r), handle(r)))));
    }

    /** Mine only, newest first, read strongly; people whose profile is gone are left out. */
    private HttpResponse requests(HttpRequest request) {
        String caller = caller(request);
        String list = "follow-requests:" + caller;
        Page<FollowEntry> page = privacy.requests(caller, limit(request), support.after(request, list));
        return support.page(views.people(page.items()), page.next(), list);
    }
}
