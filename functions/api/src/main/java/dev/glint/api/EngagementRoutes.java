package dev.glint.api;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.paging.Page;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Engagement;
import dev.glint.shared.social.Post;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.limit;
import static dev.glint.api.RouteSupport.postId;

/** Likes and comments on a post. */
final class EngagementRoutes implements RouteGroup {

    private final Engagement engagement;
    private final Views views;
    private final RouteSupport support;

    EngagementRoutes(Engagement engagement, Views views, RouteSupport support) {
        this.engagement = engagement;
        this.views = views;
        this.support = support;
    }

    @Override
    public void register(Router router) {
        router.add("PUT", "/v1/posts/{id}/like", r -> liked(engagement.like(caller(r), postId(r)), true))
                .add("DELETE", "/v1/posts/{id}/like", r -> liked(engagement.unlike(caller(r), postId(r)), false))
                .add("POST", "/v1/posts/{id}/comments", this::comment)
                .add("GET", "/v1/posts/{id}/comments", this::comments)
                .add("DELETE", "/v1/posts/{id}/comments/{commentId}", r -> {
                    String commentId = r.pathParams().get("commentId");
                    if (!Ids.valid(commentId)) {
                        throw new ApiException(404, "comment_not_found", "No such comment on this post.");
                    }
                    engagement.deleteComment(caller(r), postId(r), commentId);
                    return new HttpResponse(204, Map.of(), "");
                });
    }

    private static HttpResponse liked(Post post, boolean liked) {
        return HttpResponse.json(200, new Views.LikeView(post.id(), liked, post.likes()));
    }

    private HttpResponse comment(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("text"));
        Comment comment = engagement.comment(caller, postId(request), body.requiredString("text"));
        return HttpResponse.json(201, views.comments(caller, List.of(comment)).get(0));
    }

    private HttpResponse comments(HttpRequest request) {
        String postId = postId(request);
        String list = "comments:" + postId;
        String caller = caller(request);
        Page<Comment> page = engagement.comments(postId, caller, limit(request), support.after(request, list));
        return support.page(views.comments(caller, page.items()), page.next(), list);
    }
}
