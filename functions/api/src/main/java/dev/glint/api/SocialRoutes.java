package dev.glint.api;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.ports.ProfileStore;
import dev.glint.shared.social.Accounts;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Engagement;
import dev.glint.shared.social.Feeds;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Follows;
import dev.glint.shared.social.Page;
import dev.glint.shared.social.PageKey;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Profile;
import dev.glint.shared.reports.Reports;
import dev.glint.shared.social.Notifications;
import dev.glint.shared.social.Publishing;
import dev.glint.shared.social.TagSearch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The social routes under {@code /v1}: each one reads the caller and its input, calls one use case
 * and shapes the result. Lists answer {@code {"items":[...],"next":"<cursor>"}}.
 */
final class SocialRoutes {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final Accounts accounts;
    private final Follows follows;
    private final Publishing publishing;
    private final Engagement engagement;
    private final Feeds feeds;
    private final ProfileStore profiles;
    private final Notifications notifications;
    private final TagSearch tagSearch;
    private final Reports reports;
    private final Cursors cursors;
    private final Function<String, String> mediaUrl;

    SocialRoutes(Accounts accounts, Follows follows, Publishing publishing, Engagement engagement, Feeds feeds,
                 ProfileStore profiles, Notifications notifications, TagSearch tagSearch, Reports reports,
                 Cursors cursors, Function<String, String> mediaUrl) {
        this.accounts = accounts;
        this.follows = follows;
        this.publishing = publishing;
        this.engagement = engagement;
        this.feeds = feeds;
        this.profiles = profiles;
        this.notifications = notifications;
        this.tagSearch = tagSearch;
        this.reports = reports;
        this.cursors = cursors;
        this.mediaUrl = mediaUrl;
    }

    void register(Router router) {
        router.add("PUT", "/v1/me", this::putMe)
                .add("GET", "/v1/me", r -> cachedProfile(r, accounts.me(caller(r))))
                .add("GET", "/v1/users/{handle}", r -> cachedProfile(r, accounts.byHandle(r.pathParams().get("handle"), caller(r))))
                .add("POST", "/v1/users/{handle}/follow", r -> HttpResponse.json(200,
                        Map.of("following", true, "changed", follows.follow(caller(r), r.pathParams().get("handle")))))
                .add("DELETE", "/v1/users/{handle}/follow", r -> HttpResponse.json(200,
                        Map.of("following", false, "changed", follows.unfollow(caller(r), r.pathParams().get("handle")))))
                .add("GET", "/v1/users/{handle}/followers", this::followers)
                .add("GET", "/v1/users/{handle}/following", this::following)
                .add("GET", "/v1/users/{handle}/posts", this::postsBy)
                .add("POST", "/v1/uploads", this::createUpload)
                .add("POST", "/v1/posts", this::createPost)
                .add("GET", "/v1/posts/{id}", r -> {
                    Post post = publishing.post(postId(r), caller(r));
                    Map<String, Profile> authors = authors(List.of(post.authorId()));
                    // The view is the post (its version) and its author's handle, nothing else of the
                    // author's profile. Rendition URLs are signed anew for a 200 only; the renditions
                    // themselves never change.
                    Profile author = authors.get(post.authorId());
                    String etag = HttpCaching.ofVersions("post", post.id(), post.version(), post.authorId(),
                            author == null ? "" : author.handle());
                    return HttpCaching.notModified(r, etag).orElseGet(() ->
                            HttpResponse.json(200, posts(List.of(post), authors).get(0)).withHeader("etag", etag));
                })
                .add("DELETE", "/v1/posts/{id}", r -> {
                    publishing.deletePost(postId(r), caller(r));
                    return new HttpResponse(204, Map.of(), "");
                })
                .add("PUT", "/v1/posts/{id}/like", r -> liked(engagement.like(caller(r), postId(r)), true))
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
                })
                .add("GET", "/v1/feed", this::feed)
                .add("GET", "/v1/notifications", this::notifications)
                .add("POST", "/v1/notifications/read", this::markRead)
                .add("GET", "/v1/tags/{tag}/posts", this::tagged)
                .add("GET", "/v1/reports/daily", this::dailyReport);
    }

    /** A profile named by its version: a client holding it gets 304 before the body is built. */
    private static HttpResponse cachedProfile(HttpRequest request, Profile profile) {
        String etag = HttpCaching.ofVersions("user", profile.id(), profile.version());
        return HttpCaching.notModified(request, etag).orElseGet(() ->
                HttpResponse.json(200, profile(profile)).withHeader("etag", etag));
    }

    private HttpResponse putMe(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("handle", "displayName", "bio"));
        Profile saved = accounts.putMe(caller, body.optionalString("handle"), body.optionalString("displayName"),
                body.optionalString("bio"));
        return HttpResponse.json(200, profile(saved));
    }

    private HttpResponse followers(HttpRequest request) {
        String handle = request.pathParams().get("handle");
        String list = "followers:" + accounts.ownerOf(handle);
        Page<FollowEntry> page = follows.followers(handle, limit(request), after(request, list));
        return list(people(page.items()), page.next(), list);
    }

    private HttpResponse following(HttpRequest request) {
        String handle = request.pathParams().get("handle");
        String list = "following:" + accounts.ownerOf(handle);
        Page<FollowEntry> page = follows.following(caller(request), handle, limit(request), after(request, list));
        return list(people(page.items()), page.next(), list);
    }

    private HttpResponse postsBy(HttpRequest request) {
        String handle = request.pathParams().get("handle");
        String list = "posts:" + accounts.ownerOf(handle);
        Page<Post> page = publishing.postsBy(handle, caller(request), limit(request), after(request, list));
        return list(posts(page.items()), page.next(), list);
    }

    private HttpResponse createUpload(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("contentType", "contentLength"));
        var created = publishing.createUpload(caller, body.requiredString("contentType"), body.requiredLong("contentLength"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uploadId", created.upload().id());
        out.put("url", created.presigned().url());
        out.put("method", created.presigned().method());
        out.put("headers", created.presigned().headers());
        out.put("expiresAt", created.presigned().expiresAt().toString());
        return HttpResponse.json(201, out);
    }

    private HttpResponse createPost(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("uploadId", "caption"));
        String uploadId = body.requiredString("uploadId");
        if (!Ids.valid(uploadId)) {
            throw new ApiException(404, "upload_not_found", "No such upload of yours: create one with POST /v1/uploads.");
        }
        Post post = publishing.createPost(caller, uploadId, body.optionalString("caption").orElse(""));
        return HttpResponse.json(201, posts(List.of(post)).get(0));
    }

    private HttpResponse comment(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("text"));
        Comment comment = engagement.comment(caller, postId(request), body.requiredString("text"));
        return HttpResponse.json(201, comments(List.of(comment)).get(0));
    }

    private HttpResponse comments(HttpRequest request) {
        String postId = postId(request);
        String list = "comments:" + postId;
        Page<Comment> page = engagement.comments(postId, limit(request), after(request, list));
        return list(comments(page.items()), page.next(), list);
    }

    private HttpResponse feed(HttpRequest request) {
        String caller = caller(request);
        String list = "feed:" + caller;
        Feeds.FeedPage feed = feeds.feed(caller, limit(request), after(request, list));
        return list(posts(feed.page().items(), feed.authors()), feed.page().next(), list);
    }

    private HttpResponse notifications(HttpRequest request) {
        String caller = caller(request);
        String list = "notifications:" + caller;
        Page<Notifications.Seen> page = notifications.list(caller, limit(request), after(request, list));
        Map<String, Profile> actors = authors(page.items().stream().map(s -> s.notification().actorId()).toList());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Notifications.Seen seen : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", seen.notification().id());
            item.put("kind", seen.notification().kind());
            item.put("actor", author(seen.notification().actorId(), actors));
            if (!seen.notification().kind().equals(dev.glint.shared.social.Notification.FOLLOW)) {
                item.put("postId", seen.notification().subjectId());
            }
            item.put("createdAt", seen.notification().createdAt().toString());
            item.put("read", seen.read());
            items.add(item);
        }
        return list(items, page.next(), list);
    }

    private HttpResponse markRead(HttpRequest request) {
        String caller = caller(request);
        JsonBody body = JsonBody.read(request, Set.of("upTo"));
        String upTo = body.requiredString("upTo");
        // Marking read is a write: like every write, it needs a profile (a token alone writes nothing).
        accounts.me(caller);
        if (isCursor(upTo)) {
            // A cursor of the notifications list: everything down to where that page ended.
            upTo = cursors.decode(upTo, "notifications:" + caller).map(key -> key.values().get("sk"))
                    .orElseThrow(() -> new ApiException(400, "invalid_up_to", "upTo is not a cursor of your notifications."));
        }
        notifications.markRead(caller, upTo);
        return new HttpResponse(204, Map.of(), "");
    }

    /**
     * Whether {@code upTo} is a cursor of the notifications list rather than an id or a time. Both
     * cursors and times with fractions of a second ({@code 2026-11-22T10:00:00.5Z}) contain a dot.
     */
    static boolean isCursor(String upTo) {
        if (!upTo.contains(".")) {
            return false;
        }
        try {
            java.time.Instant.parse(upTo);
            return false;
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    private HttpResponse tagged(HttpRequest request) {
        caller(request);
        String tag = request.pathParams().get("tag");
        String list = "tag:" + tag.toLowerCase(java.util.Locale.ROOT);
        Page<Post> page = tagSearch.posts(tag, limit(request), after(request, list));
        return list(posts(page.items()), page.next(), list);
    }

    private HttpResponse dailyReport(HttpRequest request) {
        requireProduct(request, "Reports");
        List<Reports.Day> days = reports.daily(request.query().get("from"), request.query().get("to"));
        return HttpResponse.json(200, Map.of("days", days));
    }

    private HttpResponse liked(Post post, boolean liked) {
        return HttpResponse.json(200, Map.of("postId", post.id(), "liked", liked, "likes", post.likes()));
    }

    private HttpResponse list(List<Map<String, Object>> items, Optional<PageKey> next, String list) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        next.ifPresent(key -> body.put("next", cursors.encode(key, list)));
        return HttpResponse.json(200, body);
    }

    private List<Map<String, Object>> people(List<FollowEntry> entries) {
        Map<String, Profile> found = profiles.findAll(entries.stream().map(FollowEntry::userId).toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (FollowEntry entry : entries) {
            Profile profile = found.get(entry.userId());
            if (profile != null) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", profile.id());
                item.put("handle", profile.handle());
                item.put("displayName", profile.displayName());
                item.put("since", entry.since().toString());
                out.add(item);
            }
        }
        return out;
    }

    private List<Map<String, Object>> posts(List<Post> posts) {
        return posts(posts, authors(posts.stream().map(Post::authorId).toList()));
    }

    private List<Map<String, Object>> posts(List<Post> posts, Map<String, Profile> authors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Post post : posts) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", post.id());
            item.put("author", author(post.authorId(), authors));
            item.put("caption", post.caption());
            item.put("createdAt", post.createdAt().toString());
            item.put("status", post.status().name().toLowerCase(java.util.Locale.ROOT));
            if (post.status() == PostStatus.READY) {
                Map<String, String> media = new LinkedHashMap<>();
                post.media().forEach((size, key) -> media.put(size, mediaUrl.apply(key)));
                item.put("media", media);
            }
            if (post.status() == PostStatus.FAILED && post.failureReason() != null) {
                item.put("failureReason", post.failureReason());
            }
            item.put("likes", post.likes());
            item.put("comments", post.comments());
            out.add(item);
        }
        return out;
    }

    private List<Map<String, Object>> comments(List<Comment> comments) {
        Map<String, Profile> authors = authors(comments.stream().map(Comment::authorId).toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Comment comment : comments) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", comment.id());
            item.put("postId", comment.postId());
            item.put("author", author(comment.authorId(), authors));
            item.put("text", comment.text());
            item.put("createdAt", comment.createdAt().toString());
            out.add(item);
        }
        return out;
    }

    private Map<String, Profile> authors(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : profiles.findAll(ids);
    }

    private static Map<String, Object> author(String id, Map<String, Profile> authors) {
        Map<String, Object> author = new LinkedHashMap<>();
        author.put("id", id);
        Profile profile = authors.get(id);
        author.put("handle", profile == null ? null : profile.handle());
        return author;
    }

    static Map<String, Object> profile(Profile profile) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", profile.id());
        out.put("handle", profile.handle());
        out.put("displayName", profile.displayName());
        out.put("bio", profile.bio());
        out.put("followers", profile.followers());
        out.put("following", profile.following());
        out.put("posts", profile.posts());
        out.put("createdAt", profile.createdAt().toString());
        return out;
    }

    /** The caller's user id, from the claims the JWT authorizer verified. */
    /**
     * Product teams only: a signed-in caller in the {@code product} group ({@code cognito:groups}
     * claim, which API Gateway passes as {@code [a b]} and the local gateway as the same).
     */
    static void requireProduct(HttpRequest request, String what) {
        caller(request);
        String groups = request.claims().getOrDefault("cognito:groups", "");
        if (!java.util.Arrays.asList(groups.replace("[", "").replace("]", "").split("[ ,]+")).contains("product")) {
            throw new ApiException(403, "forbidden", what + " are for product teams (the product group).");
        }
    }

    static String caller(HttpRequest request) {
        String sub = request.claims().get("sub");
        if (sub == null || sub.isBlank() || !sub.matches("[A-Za-z0-9_.:\\-]{1,128}")) {
            throw new ApiException(401, "unauthorized", "Sign in: this route needs a valid bearer token.");
        }
        return sub;
    }

    private static String postId(HttpRequest request) {
        String id = request.pathParams().get("id");
        if (!Ids.valid(id)) {
            throw new ApiException(404, "post_not_found", "No such post.");
        }
        return id;
    }

    static int limit(HttpRequest request) {
        String raw = request.query().get("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        // ASCII digits only: Integer.parseInt also takes a sign and any script's digits ("+5", "５").
        if (raw.matches("[0-9]{1,3}")) {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw new ApiException(400, "invalid_limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }

    private Optional<PageKey> after(HttpRequest request, String list) {
        return cursors.decode(request.query().get("cursor"), list);
    }
}
