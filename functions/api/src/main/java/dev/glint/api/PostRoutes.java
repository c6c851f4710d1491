package dev.glint.api;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.social.FocalPoint;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.Publishing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.glint.api.RouteSupport.caller;
import static dev.glint.api.RouteSupport.postId;

/** Uploads and posts: presign an upload, make a post of one or several, read, edit and delete a post. */
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
                .add("PATCH", "/v1/posts/{id}", this::edit)
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

    /**
     * {@code {"caption", "photos": [{"uploadId", "altText", "focalPoint": {"x", "y"}}, ...]}}, or the
     * form of one photo, {@code {"caption", "uploadId", "altText"}}: one or the other, never both.
     */
    private HttpResponse createPost(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("uploadId", "altText", "caption", "photos"));
        List<Publishing.NewPhoto> photos = new ArrayList<>();
        boolean single = body.has("uploadId") || body.has("altText");
        // A client generated from the document may send an empty photos list beside uploadId: that is the form of one photo.
        Optional<List<JsonBody>> album = body.optionalObjects("photos", Set.of("uploadId", "altText", "focalPoint"),
                single ? 0 : 1, Post.MAX_PHOTOS).filter(list -> !list.isEmpty());
        if (album.isPresent() == single) {
            throw new ApiException(400, "missing_field", album.isPresent()
                    ? "Send either photos or uploadId (with altText), not both."
                    : "photos is required: [{\"uploadId\": \"...\", \"altText\": \"...\"}], 1 to " + Post.MAX_PHOTOS
                    + " photos (or uploadId for a post of one photo).");
        }
        for (JsonBody photo : album.orElseGet(() -> List.of(body))) {
            String uploadId = photo.requiredString("uploadId");
            if (!Ids.valid(uploadId)) {
                throw new ApiException(404, "upload_not_found", "No such upload of yours"
                        + (album.isPresent() ? " (photo " + (photos.size() + 1) + ")" : "") + ": create one with POST /v1/uploads.");
            }
            FocalPoint focus = photo.optionalObject("focalPoint", Set.of("x", "y"))
                    .map(point -> new FocalPoint(point.requiredNumber("x"), point.requiredNumber("y")))
                    .orElse(FocalPoint.CENTRE);
            photos.add(new Publishing.NewPhoto(uploadId, photo.optionalString("altText").orElse(""), focus));
        }
        Post post = publishing.createPost(caller, photos, body.optionalString("caption").orElse(""));
        return HttpResponse.json(201, views.posts(caller, List.of(post)).get(0));
    }

    /** {@code {"caption", "photos": [{"altText"}, ...]}}: the author edits the caption and alt texts; both optional. */
    private HttpResponse edit(HttpRequest request) {
        JsonBody body = JsonBody.read(request, Set.of("caption", "photos"));
        List<String> altTexts = new ArrayList<>();
        body.optionalObjects("photos", Set.of("altText"), 1, Post.MAX_PHOTOS)
                .ifPresent(photos -> photos.forEach(photo -> altTexts.add(photo.optionalString("altText").orElse(null))));
        String caller = caller(request);
        Post post = publishing.editPost(postId(request), caller, body.optionalString("caption"), altTexts);
        return HttpResponse.json(200, views.post(post, views.authors(List.of(post.authorId())), views.likedByMe(caller, post)));
    }

    private HttpResponse post(HttpRequest request) {
        String caller = caller(request);
        Post post = publishing.post(postId(request), caller);
        Map<String, Profile> authors = views.authors(List.of(post.authorId()));
        if (!post.authorId().equals(caller) && Views.suspended(post.authorId(), authors)) {
            // A suspended account's posts are, to everyone else, no posts.
            throw new ApiException(404, "post_not_found", "No post '" + post.id() + "'.");
        }
        boolean liked = views.likedByMe(caller, post);
        String etag = views.postEtag(post, authors, liked);
        return HttpCaching.notModified(request, etag).orElseGet(() ->
                HttpResponse.json(200, views.post(post, authors, liked)).withHeader("etag", etag));
    }
}
