package dev.glint.api;

import dev.glint.shared.feed.Feeds;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.limit;

/** The home feed. */
final class FeedRoutes implements RouteGroup {

    private final Feeds feeds;
    private final Views views;
    private final RouteSupport support;

    FeedRoutes(Feeds feeds, Views views, RouteSupport support) {
        this.feeds = feeds;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/feed", this::feed);
    }

    private HttpResponse feed(HttpRequest request) {
        String caller = caller(request);
        String list = "feed:" + caller;
        Feeds.FeedPage feed = feeds.feed(caller, limit(request), support.after(request, list));
        return HttpResponse.json(200, new Views.FeedView(views.posts(feed.page().items(), feed.authors(), feed.liked()),
                support.next(feed.page().next(), list), feed.byInteraction() ? "interactions" : "newest"));
    }
}
