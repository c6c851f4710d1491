package dev.glint.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.glint.shared.export.ArchiveLinks;
import dev.glint.shared.media.MediaUrls;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.FollowEntry;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.Notifications;
import dev.glint.shared.social.Photo;
import dev.glint.shared.social.Post;
import dev.glint.shared.social.PostStatus;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;
import dev.glint.shared.social.Removal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The shapes the API answers with, as records {@code Json} writes in component order (an empty
 * {@code Optional} is left out), and how they are made from the domain: the authors of what a view
 * shows are read in one batch, rendition URLs signed for each view.
 */
final class Views {

    /**
     * A page of the home feed: a list page and its {@code order}, {@code newest} or {@code interactions}
     * (the feed-ranking experiment's affinity variant: authors the reader interacted with first).
     */
    record FeedView(List<PostView> items, Optional<String> next, String order) {
    }

    /** A list page: {@code {"items":[...],"next":"<cursor>"}}, {@code next} absent on the last page. */
    record ListView<T>(List<T> items, Optional<String> next) {
    }

    /**
     * Why and when moderators removed something: shown to its owner alone (a taken-down post or comment,
     * a suspended account); to everyone else the thing is missing.
     */
    record RemovedView(String reason, String at) {
        static Optional<RemovedView> of(Removal removal) {
            return Optional.ofNullable(removal).map(r -> new RemovedView(r.reason(), r.at().toString()));
        }
    }

    /**
     * {@code private}: a private account (its posts and follows for its followers only); {@code followedByMe}:
     * on someone else's profile, whether the caller follows them; {@code followRequestedByMe}: on someone
     * else's private profile, whether I have asked to follow them and wait for an answer; {@code suspended}:
     * on my own, when moderators suspended my account.
     */
    record ProfileView(String id, String handle, String displayName, String bio, long followers, long following,
                       long posts, String createdAt, @JsonProperty("private") boolean locked,
                       Optional<Boolean> followedByMe, Optional<Boolean> followRequestedByMe,
                       Optional<RemovedView> suspended) {
        static ProfileView of(Profile profile) {
            return of(profile, Optional.empty());
        }

        static ProfileView of(Profile profile, Optional<Boolean> followedByMe) {
            return of(profile, followedByMe, Optional.empty());
        }

        static ProfileView of(Profile profile, Optional<Boolean> followedByMe, Optional<Boolean> followRequestedByMe) {
            return new ProfileView(profile.id(), profile.handle(), profile.displayName(), profile.bio(),
                    profile.followers(), profile.following(), profile.posts(), profile.createdAt().toString(),
                    profile.locked(), followedByMe, followRequestedByMe, RemovedView.of(profile.suspended()));
        }
    }

    /** Who wrote or did something; {@code handle} is null when their profile is gone. */
    record AuthorView(String id, String handle) {
    }

    /** A line of a followers or following list. */
    record PersonView(String id, String handle, String displayName, String since) {
    }

    /**
     * {@code photos}: the album in order; {@code media}: the first photo's renditions (rendition name
     * to a URL), when ready, as posts of one photo always had; {@code failureReason}: why not, when failed;
     * {@code removed}: why and when moderators took it down (status {@code removed}; its author alone sees it).
     */
    record PostView(String id, AuthorView author, String caption, String createdAt, String status,
                    List<PhotoView> photos, Optional<Map<String, String>> media, Optional<String> failureReason,
                    long likes, long comments, boolean likedByMe, Optional<RemovedView> removed) {
    }

    /**
     * One photo of a post: its renditions' URLs, size and BlurHash once the post is ready; its alt
     * text and focal point always.
     */
    record PhotoView(Optional<Map<String, String>> media, String altText, Optional<String> blurhash,
                     Optional<Integer> width, Optional<Integer> height, FocalPointView focalPoint) {
    }

    record FocalPointView(double x, double y) {
    }

    /** {@code removed}: on a comment moderators took down, which its author alone still sees. */
    record CommentView(String id, String postId, AuthorView author, String text, String createdAt,
                       Optional<RemovedView> removed) {
    }

    /**
     * {@code postId}: the post liked or commented on (not for follows); {@code exportId}: the export that is ready,
     * with {@code url}, a download link minted on this read and valid until {@code urlExpiresAt} (none once the
     * archive is deleted).
     */
    record NotificationView(String id, String kind, AuthorView actor, Optional<String> postId, Optional<String> exportId,
                            Optional<String> url, Optional<String> urlExpiresAt, String createdAt, boolean read) {
    }

    record FollowView(boolean following, boolean changed) {
    }

    /** A follow of a private account: a request waiting for its owner ({@code status} is {@code requested}). */
    record FollowRequestView(String status, boolean following, boolean changed) {
    }

    record LikeView(String postId, boolean liked, long likes) {
    }

    record UploadView(String uploadId, String url, String method, Map<String, String> headers, String expiresAt) {
    }

    /** Which of these posts the viewer likes. */
    interface Likes {
        Set<String> likedBy(String viewerId, List<String> postIds, boolean consistent);
    }

    private final ProfileStore profiles;
    private final MediaUrls mediaUrls;
    private final Likes likes;

    Views(ProfileStore profiles, MediaUrls mediaUrls, Likes likes) {
        this.profiles = profiles;
        this.mediaUrls = mediaUrls;
        this.likes = likes;
    }

    /** The profiles of these users, in one batch read (eventually consistent). */
    Map<String, Profile> authors(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : profiles.findAll(ids);
    }

    /** Posts as the viewer sees them in a list: whether they like each read eventually consistent, in one batch. */
    List<PostView> posts(String viewerId, List<Post> posts) {
        return posts(viewerId, posts, authors(posts.stream().map(Post::authorId).toList()));
    }

    /** Posts of suspended accounts are left out, but for their own author (the page may be short). */
    List<PostView> posts(String viewerId, List<Post> posts, Map<String, Profile> authors) {
        List<Post> shown = posts.stream().filter(p -> p.authorId().equals(viewerId) || !suspended(p.authorId(), authors)).toList();
        return posts(shown, authors, likes.likedBy(viewerId, shown.stream().map(Post::id).toList(), false), viewerId);
    }

    /**
     * Posts whose authors and the viewer's likes were read already (the feed reads them with its posts);
     * posts of suspended accounts are left out.
     */
    List<PostView> posts(List<Post> posts, Map<String, Profile> authors, Set<String> liked) {
        return posts(posts, authors, liked, null);
    }

    private List<PostView> posts(List<Post> posts, Map<String, Profile> authors, Set<String> liked, String viewerId) {
        return posts.stream().filter(p -> p.authorId().equals(viewerId) || !suspended(p.authorId(), authors))
                .map(post -> post(post, authors, liked.contains(post.id()))).toList();
    }

    /** Whether moderators suspended this user's account, as the profiles a view read say. */
    static boolean suspended(String userId, Map<String, Profile> profiles) {
        Profile profile = profiles.get(userId);
        return profile != null && profile.isSuspended();
    }

    /** Whether the viewer likes the post, read strongly: the view of one post shows a like made a moment ago. */
    boolean likedByMe(String viewerId, Post post) {
        return likes.likedBy(viewerId, List.of(post.id()), true).contains(post.id());
    }

    PostView post(Post post, Map<String, Profile> authors, boolean likedByMe) {
        boolean ready = post.status() == PostStatus.READY;
        List<PhotoView> photos = post.photos().stream().map(photo -> photo(photo, ready)).toList();
        Optional<String> reason = Optional.ofNullable(post.failureReason()).filter(r -> post.status() == PostStatus.FAILED);
        return new PostView(post.id(), author(post.authorId(), authors), post.caption(), post.createdAt().toString(),
                post.status().name().toLowerCase(Locale.ROOT), photos, photos.get(0).media(), reason, post.likes(),
                post.comments(), likedByMe, RemovedView.of(post.removed()));
    }

    private PhotoView photo(Photo photo, boolean ready) {
        Optional<Map<String, String>> media = Optional.empty();
        if (ready) {
            Map<String, String> urls = new LinkedHashMap<>();
            photo.media().forEach((size, key) -> urls.put(size, mediaUrls.url(key)));
            media = Optional.of(urls);
        }
        boolean sized = ready && photo.width() > 0;
        return new PhotoView(media, photo.altText(), Optional.ofNullable(photo.blurhash()).filter(hash -> ready),
                sized ? Optional.of(photo.width()) : Optional.empty(), sized ? Optional.of(photo.height()) : Optional.empty(),
                new FocalPointView(photo.focalPoint().x(), photo.focalPoint().y()));
    }

    /**
     * A post view's ETag: the post (its version), its author's handle (nothing else of the author's
     * profile), whether the viewer likes it (a like shows before the count the stream keeps moves the
     * version) and the media URLs' window, so a client revalidating once its URLs may have expired
     * gets fresh ones instead of a 304. Made before any body is built or URL signed.
     */
    String postEtag(Post post, Map<String, Profile> authors, boolean likedByMe) {
        Profile author = authors.get(post.authorId());
        return HttpCaching.ofVersions("post", post.id(), post.version(), post.authorId(),
                author == null ? "" : author.handle(), likedByMe ? "liked" : "", mediaUrls.window());
    }

    /** Comments; those of suspended accounts are left out but for the viewer's own (the page may be short). */
    List<CommentView> comments(String viewerId, List<Comment> comments) {
        Map<String, Profile> authors = authors(comments.stream().map(Comment::authorId).toList());
        return comments.stream().filter(c -> c.authorId().equals(viewerId) || !suspended(c.authorId(), authors))
                .map(comment -> new CommentView(comment.id(), comment.postId(),
                author(comment.authorId(), authors), comment.text(), comment.createdAt().toString(),
                RemovedView.of(comment.removed()))).toList();
    }

    /** The people of a list; those whose profile is gone are left out. */
    List<PersonView> people(List<FollowEntry> entries) {
        Map<String, Profile> found = authors(entries.stream().map(FollowEntry::userId).toList());
        List<PersonView> out = new ArrayList<>();
        for (FollowEntry entry : entries) {
            Profile profile = found.get(entry.userId());
            if (profile != null && !profile.isSuspended()) {
                out.add(new PersonView(profile.id(), profile.handle(), profile.displayName(), entry.since().toString()));
            }
        }
        return out;
    }

    /** @param exportLinks a fresh download link for an {@code export_ready} notification, while the archive is kept */
    List<NotificationView> notifications(List<Notifications.Seen> seen,
                                         Function<Notification, Optional<ArchiveLinks.Link>> exportLinks) {
        Map<String, Profile> actors = authors(seen.stream().map(s -> s.notification().actorId()).toList());
        // Notifications from suspended accounts are left out (the page may be short).
        return seen.stream().filter(s -> !suspended(s.notification().actorId(), actors)).map(s -> {
            Notification n = s.notification();
            boolean export = Notification.EXPORT_READY.equals(n.kind()) && n.subjectId() != null;
            Optional<ArchiveLinks.Link> link = export ? exportLinks.apply(n) : Optional.empty();
            return new NotificationView(n.id(), n.kind(), author(n.actorId(), actors),
                    Notification.aboutPerson(n.kind()) || Notification.EXPORT_READY.equals(n.kind())
                            ? Optional.empty() : Optional.ofNullable(n.subjectId()),
                    export ? Optional.of(n.subjectId()) : Optional.empty(),
                    link.map(ArchiveLinks.Link::url), link.map(l -> l.expiresAt().toString()),
                    n.createdAt().toString(), s.read());
        }).toList();
    }

    static AuthorView author(String id, Map<String, Profile> authors) {
        Profile profile = authors.get(id);
        return new AuthorView(id, profile == null ? null : profile.handle());
    }
}
