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
import java.util.List;
import java.util.Map;
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

    /**
     * Creates a post from the caller's upload. Repeating the call with the same upload returns the
     * same post (and asks for its media again if it is still processing), so a client may retry
     * safely after a failure; two such calls at once both get the one post they made.
     */
    public Post createPost(String userId, String uploadId, String caption) {
        accounts.me(userId);
        Text.requireLength("caption", caption, 0, MAX_CAPTION);
        Upload upload = posts.findUpload(uploadId).filter(u -> u.ownerId().equals(userId))
                .orElseThrow(() -> SocialException.notFound("upload_not_found",
                        "No upload " + Text.quote(uploadId) + " of yours: create one with POST /v1/uploads."));
        if (upload.usedBy() != null) {
            return postOf(upload);
        }
        if (clock.instant().isAfter(upload.expiresAt())) {
            throw SocialException.invalid("upload_expired", "This upload expired; create a new one with POST /v1/uploads.");
        }
        if (!uploads.exists(upload.objectKey())) {
            throw SocialException.conflict("upload_not_received",
                    "The photo has not arrived yet: PUT it to the upload URL first, then create the post.");
        }
        takeQuota(userId, "posts", limits.posts(), "posts made");
        Post post = new Post(ids.next(), userId, caption.strip(), PostStatus.PROCESSING, uploadId, clock.instant(),
                0, 0, Map.of(), null, 1);
        try {
            posts.create(post);
        } catch (SocialException e) {
            if (!"upload_used".equals(e.code())) {
                throw e;
            }
            // Another request made a post of this upload meanwhile: it is the post this request asked for too.
            return posts.findUpload(uploadId).filter(u -> u.usedBy() != null).map(this::postOf).orElseThrow(() -> e);
        }
        tasks.send(MediaJob.of(post.id(), upload.objectKey()));
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

    /** The post an upload made; its media asked for again while it is still processing. */
    private Post postOf(Upload upload) {
        Post existing = posts.find(upload.usedBy(), true).orElseThrow(() -> SocialException.conflict("upload_used",
                "This upload was already used for a post; upload the photo again."));
        if (existing.status() == PostStatus.PROCESSING) {
            tasks.send(MediaJob.of(existing.id(), upload.objectKey()));
        }
        return existing;
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
        if (!visibleTo(post, viewerId)) {
            throw postNotFound(postId);
        }
        return post;
    }

    /** Whether the viewer may see the post: its author always, anyone once it is ready. */
    static boolean visibleTo(Post post, String viewerId) {
        return post.status() == PostStatus.READY || post.authorId().equals(viewerId);
    }

    /** Only the author deletes a post; it leaves every read path. */
    public void deletePost(String postId, String viewerId) {
        Post post = posts.find(postId, true).orElseThrow(() -> postNotFound(postId));
        if (!post.authorId().equals(viewerId)) {
            throw visibleTo(post, viewerId) ? SocialException.forbidden("Only the author can delete this post.")
                    : postNotFound(postId);
        }
        posts.delete(post);
    }

    /** A user's posts, newest first: all of them for their author, the ready ones for everyone else. */
    public Page<Post> postsBy(String handle, String viewerId, int limit, Optional<PageToken> after) {
        String authorId = accounts.ownerOf(handle);
        boolean own = authorId.equals(viewerId);
        Page<String> ids = posts.postIdsByAuthor(authorId, limit, after, own);
        List<Post> shown = posts.findAll(ids.items(), own).stream().filter(post -> visibleTo(post, viewerId)).toList();
        return new Page<>(shown, ids.next());
    }

    static SocialException postNotFound(String postId) {
        return SocialException.notFound("post_not_found", "No post " + Text.quote(postId) + ".");
    }
}
