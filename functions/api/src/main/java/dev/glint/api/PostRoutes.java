package dev.glint.api;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.Publishing;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.postId;

/** Uploads and posts: presign an upload, make a post of it, read and delete a post. */
final class PostRoutes implements RouteGroup {

    private final Publishing publishing;
    private final Views views;

    PostRoutes(Publishing publishing, Views views) {
        this.publishing = publishing;
        this.views = views;
    }

    @Override
    public void register(Router router) {
        router.add("POST", "/v1/uploads", this::createUpload)
                .add("POST", "/v1/posts", this::createPost)
                .add("GET", "/v1/posts/{id}", this::post)
                .add("DELETE", "/v1/posts/{id}", r -> {
                    publishing.deletePost(postId(r), caller(r));
                    return new HttpResponse(204, Map.of(), "");
                });
    }

    private HttpResponse createUpload(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("contentType", "contentLength"));
        var created = publishing.createUpload(caller, body.requiredString("contentType"), body.requiredLong("contentLength"));
        var presigned = created.presigned();
        return HttpResponse.json(201, new Views.UploadView(created.upload().id(), presigned.url(), presigned.method(),
                presigned.headers(), presigned.expiresAt().toString()));
    }

    private HttpResponse createPost(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("uploadId", "caption"));
        String uploadId = body.requiredString("uploadId");
        if (!Ids.valid(uploadId)) {
            throw new ApiException(404, "upload_not_found", "No such upload of yours: create one with POST /v1/uploads.");
        }
        Post post = publishing.createPost(caller, uploadId, body.optionalString("caption").orElse(""));
        return HttpResponse.json(201, views.posts(List.of(post)).get(0));
    }

    private HttpResponse post(HttpRequest request) {
        Post post = publishing.post(postId(request), caller(request));
        Map<String, Profile> authors = views.authors(List.of(post.authorId()));
        String etag = views.postEtag(post, authors);
        return HttpCaching.notModified(request, etag).orElseGet(() ->
                HttpResponse.json(200, views.post(post, authors)).withHeader("etag", etag));
    }
}
