package dev.glint.shared.social;

import dev.glint.shared.blobs.BlobStore;
import dev.glint.shared.ids.Ids;
import dev.glint.shared.messages.MediaJob;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Uploads and posts. The client uploads the original straight to the bucket with a presigned
 * URL; a post claims its upload once and starts {@code processing} until the media worker marks it.
 */
public final class Publishing {

    public static final Set<String> CONTENT_TYPES = Set.of("image/jpeg", "image/png", "image/webp");
    /**
     * Photo formats phones send that no decoder fitting a Lambda function reads (no pure-Java or
     * jar-shipped HEIF/AVIF decoder on Maven Central): refused up front with 415, so the photo is
     * never uploaded to fail later. The media worker refuses them from the bytes too.
     */
    public static final Set<String> UNPROCESSABLE_PHOTO_TYPES = Set.of("image/heic", "image/heif",
            "image/heic-sequence", "image/heif-sequence", "image/avif");
    public static final long MAX_UPLOAD_BYTES = 20L * 1024 * 1024;
    public static final Duration UPLOAD_URL_TTL = Duration.ofMinutes(5);
    /** An upload not turned into a post within this time can no longer be used (the bucket expires it too). */
    public static final Duration UPLOAD_VALIDITY = Duration.ofHours(1);
    static final int MAX_CAPTION = 2_200;

    private final Accounts accounts;
    private final PostStore posts;
    private final UploadSigner signer;
    private final BlobStore uploads;
    private final TaskQueue tasks;
    private final QuotaStore quotas;
    private final DailyQuotas limits;
    private final Ids ids;
    private final Clock clock;
    private final Blocks blocks;
    private final PrivateAuthors privateAuthors;

    /**
     * How many uploads and posts one user may make a day (UTC): enough for anyone sharing photos,
     * so that no one user fills the shared media queue and delays everyone's posts.
     */
    public record DailyQuotas(int posts, int uploads) {
        public static final DailyQuotas DEFAULTS = new DailyQuotas(100, 300);

        public DailyQuotas {
            if (posts < 1 || uploads < 1) {
                throw new IllegalArgumentException("daily quotas are at least 1");
            }
        }
    }

    public Publishing(Accounts accounts, PostStore posts, UploadSigner signer, BlobStore uploads, TaskQueue tasks,
                      QuotaStore quotas, DailyQuotas limits, Ids ids, Clock clock) {
        this(accounts, posts, signer, uploads, tasks, quotas, limits, ids, clock, Blocks.NONE);
    }

    /** @param blocks who is blocked either way with a viewer: their posts are, to the viewer, no posts */
    public Publishing(Accounts accounts, PostStore posts, UploadSigner signer, BlobStore uploads, TaskQueue tasks,
                      QuotaStore quotas, DailyQuotas limits, Ids ids, Clock clock, Blocks blocks) {
        this(accounts, posts, signer, uploads, tasks, quotas, limits, ids, clock, blocks, PrivateAuthors.NONE);
    }

    /** @param privateAuthors private accounts the viewer does not follow: their posts are, to the viewer, no posts */
    public Publishing(Accounts accounts, PostStore posts, UploadSigner signer, BlobStore uploads, TaskQueue tasks,
                      QuotaStore quotas, DailyQuotas limits, Ids ids, Clock clock, Blocks blocks,
                      PrivateAuthors privateAuthors) {
        this.blocks = blocks;
        this.privateAuthors = privateAuthors;
        this.accounts = accounts;
        this.posts = posts;
        this.signer = signer;
        this.uploads = uploads;
        this.tasks = tasks;
        this.quotas = quotas;
        this.limits = limits;
        this.ids = ids;
        this.clock = clock;
    }

    /** A presigned upload for the caller's own prefix. */
    public NewUpload createUpload(String userId, String contentType, long contentLength) {
        accounts.me(userId);
        if (contentType != null && UNPROCESSABLE_PHOTO_TYPES.contains(contentType.toLowerCase(java.util.Locale.ROOT))) {
            throw SocialException.unsupportedMedia("unsupported_photo_format",
                    "HEIC/HEIF and AVIF photos cannot be processed yet: upload image/jpeg, image/png or image/webp"
                            + " (an iPhone saves JPEG with Settings > Camera > Formats > Most Compatible).");
        }
        if (!CONTENT_TYPES.contains(contentType)) {
            throw SocialException.invalid("unsupported_content_type",
                    "contentType must be one of image/jpeg, image/png, image/webp.");
        }
        if (contentLength <= 0 || contentLength > MAX_UPLOAD_BYTES) {
            throw SocialException.invalid("invalid_content_length",
                    "contentLength must be 1 to " + MAX_UPLOAD_BYTES + " bytes (20 MB).");
        }
        takeQuota(userId, "uploads", limits.uploads(), "photos uploaded");
        String uploadId = ids.next();
        UploadSigner.Presigned presigned = signer.presignUpload(userId, uploadId, contentType, contentLength, UPLOAD_URL_TTL);
        Upload upload = new Upload(uploadId, userId, presigned.objectKey(), contentType, contentLength,
                clock.instant().plus(UPLOAD_VALIDITY), null);
        posts.createUpload(upload);
        return new NewUpload(upload, presigned);
    }

    /** An upload and how to send it. */
    public record NewUpload(Upload upload, UploadSigner.Presigned presigned) {
    }

    /** A photo as a new post asks for it: its upload, alt text ("" for none) and focal point. */
    public record NewPhoto(String uploadId, String altText, FocalPoint focalPoint) {
    }

    /** A post of one photo, as before albums. */
    public Post createPost(String userId, String uploadId, String caption) {
        return createPost(userId, List.of(new NewPhoto(uploadId, "", FocalPoint.CENTRE)), caption);
    }

    /**
     * Creates a post of 1 to {@link Post#MAX_PHOTOS} of the caller's uploads, in order. Repeating the
     * call with the same uploads returns the same post (and asks again for the media of its photos
     * still processing), so a client may retry safely after a failure; two such calls at once both
     * get the one post they made. Every photo is checked before anything is written.
     */
    public Post createPost(String userId, List<NewPhoto> photos, String caption) {
        accounts.me(userId);
        Text.requireLength("caption", caption, 0, MAX_CAPTION);
        if (photos.isEmpty() || photos.size() > Post.MAX_PHOTOS) {
            throw SocialException.invalid("invalid_photos", "A post holds 1 to " + Post.MAX_PHOTOS + " photos (got "
                    + photos.size() + ").");
        }
        Set<String> seen = new HashSet<>();
        List<Upload> found = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            NewPhoto photo = photos.get(i);
            String which = photos.size() == 1 ? "" : "photo " + (i + 1) + ": ";
            if (!seen.add(photo.uploadId())) {
                throw SocialException.invalid("duplicate_upload", "Photo " + (i + 1) + " repeats upload "
                        + Text.quote(photo.uploadId()) + "; each photo of a post needs its own upload.");
            }
            Text.requireLength("altText", photos.size() == 1 ? "altText" : "photos[" + i + "].altText", photo.altText(), 0,
                    Photo.MAX_ALT_TEXT);
            found.add(posts.findUpload(photo.uploadId()).filter(u -> u.ownerId().equals(userId))
                    .orElseThrow(() -> SocialException.notFound("upload_not_found", which + "no upload "
                            + Text.quote(photo.uploadId()) + " of yours: create one with POST /v1/uploads.")));
        }
        if (found.stream().anyMatch(u -> u.usedBy() != null)) {
            return postOf(found);
        }
        for (int i = 0; i < found.size(); i++) {
            Upload upload = found.get(i);
            String which = found.size() == 1 ? "" : "Photo " + (i + 1) + ": ";
            if (clock.instant().isAfter(upload.expiresAt())) {
                throw SocialException.invalid("upload_expired", which + "this upload expired; create a new one with POST /v1/uploads.");
            }
            if (!uploads.exists(upload.objectKey())) {
                throw SocialException.conflict("upload_not_received", which + "the photo has not arrived yet: PUT it to"
                        + " the upload URL first, then create the post.");
            }
        }
        takeQuota(userId, "posts", limits.posts(), "posts made");
        List<Photo> album = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            album.add(Photo.of(found.get(i).id(), found.get(i).objectKey(), photos.get(i).altText().strip(),
                    photos.get(i).focalPoint()));
        }
        Post post = new Post(ids.next(), userId, caption.strip(), PostStatus.PROCESSING, album, clock.instant(),
                0, 0, null, 1);
        try {
            posts.create(post);
        } catch (SocialException e) {
            if (!"upload_used".equals(e.code())) {
                throw e;
            }
            // Another request made a post of these uploads meanwhile: it is the post this request asked for too.
            List<Upload> now = found.stream().map(u -> posts.findUpload(u.id()).orElse(u)).toList();
            if (now.stream().noneMatch(u -> u.usedBy() != null)) {
                throw e;
            }
            return postOf(now);
        }
        for (Photo photo : album) {
            tasks.send(MediaJob.of(post.id(), photo.objectKey()));
        }
        return post;
    }

    /** One use of a daily quota, or a 429 that says when the day is over. */
    private void takeQuota(String userId, String quota, int limit, String what) {
        Instant now = clock.instant();
        if (!quotas.take(userId, quota, Hashtags.day(now), limit)) {
            Instant midnight = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            throw SocialException.limited("quota_exceeded", "You have " + what + " today as many times as a day allows ("
                    + limit + "); try again after midnight UTC.", Duration.between(now, midnight).toSeconds() + 1);
        }
    }

    /**
     * The post these uploads made, when they made one together in this order; the media of its
     * photos still processing asked for again. Any other use of them is a conflict.
     */
    private Post postOf(List<Upload> uploadsAsked) {
        String postId = uploadsAsked.stream().map(Upload::usedBy).filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        Optional<Post> existing = posts.find(postId, true).filter(post -> post.photos().stream().map(Photo::uploadId)
                .toList().equals(uploadsAsked.stream().map(Upload::id).toList()));
        if (existing.isEmpty()) {
            int i = 0;
            while (uploadsAsked.get(i).usedBy() == null) {
                i++;
            }
            throw SocialException.conflict("upload_used", (uploadsAsked.size() == 1 ? "This upload" : "The upload of photo "
                    + (i + 1)) + " was already used for another post; upload the photo again.");
        }
        Post post = existing.get();
        if (post.status() == PostStatus.PROCESSING) {
            for (int i = 0; i < post.photos().size(); i++) {
                if (!post.photos().get(i).processed()) {
                    tasks.send(MediaJob.of(post.id(), uploadsAsked.get(i).objectKey()));
                }
            }
        }
        return post;
    }

    /**
     * The author changes the caption and the alt texts of their post: {@code altTexts} holds one per
     * photo, in order, null for "unchanged". The post's hashtags follow its caption.
     */
    public Post editPost(String postId, String userId, Optional<String> caption, List<String> altTexts) {
        Post post = posts.find(postId, true).orElseThrow(() -> postNotFound(postId));
        if (!post.authorId().equals(userId)) {
            throw seenBy(post, userId) ? SocialException.forbidden("Only the author can edit this post.")
                    : postNotFound(postId);
        }
        if (!altTexts.isEmpty() && altTexts.size() != post.photos().size()) {
            throw SocialException.invalid("invalid_photos", "photos must hold one entry per photo of the post, in order ("
                    + post.photos().size() + "; got " + altTexts.size() + ").");
        }
        caption.ifPresent(text -> Text.requireLength("caption", text, 0, MAX_CAPTION));
        List<String> alts = new ArrayList<>();
        for (int i = 0; i < post.photos().size(); i++) {
            String alt = altTexts.isEmpty() ? null : altTexts.get(i);
            if (alt != null) {
                Text.requireLength("altText", "photos[" + i + "].altText", alt, 0, Photo.MAX_ALT_TEXT);
            }
            alts.add(alt == null ? post.photos().get(i).altText() : alt.strip());
        }
        if (!posts.editText(post, caption.map(String::strip).orElse(post.caption()), alts)) {
            throw postNotFound(postId);
        }
        return posts.find(postId, true).orElseThrow(() -> postNotFound(postId));
    }

    /**
     * A post as its viewer may see it: the author reads their own strongly, in every state; others
     * see a post once it is ready, and a post still processing or failed is, to them, no post.
     */
    public Post post(String postId, String viewerId) {
        Post post = posts.find(postId, false).or(() -> posts.find(postId, true))
                .orElseThrow(() -> postNotFound(postId));
        if (post.authorId().equals(viewerId) || post.status() != PostStatus.READY) {
            // The author reads their own writes; a reader re-checks a post that looked unfinished
            // (the eventually consistent read may predate its becoming ready).
            post = posts.find(postId, true).orElseThrow(() -> postNotFound(postId));
        }
        if (!seenBy(post, viewerId)) {
            throw postNotFound(postId);
        }
        return post;
    }

    /**
     * As {@link #visibleTo}, neither the author nor the viewer blocked the other, and the author's account is
     * public or followed by the viewer.
     */
    private boolean seenBy(Post post, String viewerId) {
        return visibleTo(post, viewerId) && (post.authorId().equals(viewerId)
                || blocks.hidden(viewerId, List.of(post.authorId())).isEmpty()
                && privateAuthors.unreadable(viewerId, List.of(post.authorId())).isEmpty());
    }

    /** Whether the viewer may see the post: its author always, anyone once it is ready. */
    static boolean visibleTo(Post post, String viewerId) {
        return post.status() == PostStatus.READY || post.authorId().equals(viewerId);
    }

    /** Only the author deletes a post; it leaves every read path. */
    public void deletePost(String postId, String viewerId) {
        Post post = posts.find(postId, true).orElseThrow(() -> postNotFound(postId));
        if (!post.authorId().equals(viewerId)) {
            throw seenBy(post, viewerId) ? SocialException.forbidden("Only the author can delete this post.")
                    : postNotFound(postId);
        }
        posts.delete(post);
    }

    /** A user's posts, newest first: all of them for their author, the ready ones for everyone else. */
    public Page<Post> postsBy(String handle, String viewerId, int limit, Optional<PageToken> after) {
        String authorId = accounts.ownerOf(handle);
        boolean own = authorId.equals(viewerId);
        if (!own && (!blocks.hidden(viewerId, List.of(authorId)).isEmpty() || accounts.suspended(authorId))) {
            throw Accounts.unknownHandle(handle);
        }
        if (!own && !privateAuthors.unreadable(viewerId, List.of(authorId)).isEmpty()) {
            throw Privacy.privateAccount(handle.toLowerCase(java.util.Locale.ROOT));
        }
        Page<String> ids = posts.postIdsByAuthor(authorId, limit, after, own);
        List<Post> shown = posts.findAll(ids.items(), own).stream().filter(post -> visibleTo(post, viewerId)).toList();
        return new Page<>(shown, ids.next());
    }

    static SocialException postNotFound(String postId) {
        return SocialException.notFound("post_not_found", "No post " + Text.quote(postId) + ".");
    }
}
