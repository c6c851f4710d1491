package dev.glint.api;

import dev.glint.shared.paging.Page;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Safety;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.handle;
import static dev.glint.api.RouteSupport.limit;

/** Blocking and muting people, and my lists of them. */
final class SafetyRoutes implements RouteGroup {

    /** {@code changed}: whether this request made the change (a repeat changes nothing). */
    record BlockView(boolean blocked, boolean changed) {
    }

    record MuteView(boolean muted, boolean changed) {
    }

    private final Safety safety;
    private final Views views;
    private final RouteSupport support;

    SafetyRoutes(Safety safety, Views views, RouteSupport support) {
        this.safety = safety;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("PUT", "/v1/users/{handle}/block", r -> HttpResponse.json(200,
                        new BlockView(true, safety.block(caller(r), handle(r)))))
                .add("DELETE", "/v1/users/{handle}/block", r -> HttpResponse.json(200,
                        new BlockView(false, safety.unblock(caller(r), handle(r)))))
                .add("PUT", "/v1/users/{handle}/mute", r -> HttpResponse.json(200,
                        new MuteView(true, safety.mute(caller(r), handle(r)))))
                .add("DELETE", "/v1/users/{handle}/mute", r -> HttpResponse.json(200,
                        new MuteView(false, safety.unmute(caller(r), handle(r)))))
                .add("GET", "/v1/me/blocks", r -> list(r, "blocks"))
                .add("GET", "/v1/me/mutes", r -> list(r, "mutes"));
    }

    /** Mine only, read strongly; people whose profile is gone are left out. */
    private HttpResponse list(HttpRequest request, String which) {
        String caller = caller(request);
        String list = which + ":" + caller;
        Page<FollowEntry> page = which.equals("blocks")
                ? safety.blocks(caller, limit(request), support.after(request, list))
                : safety.mutes(caller, limit(request), support.after(request, list));
        return support.page(views.people(page.items()), page.next(), list);
    }
}
